import { type CustomResource, handleRequest, locationOf, type Outcome } from '../../../handler/cfn/lifecycle';
import type { RequestContext } from '../../../handler/resource/context';
import { isValidBusName } from '../../../handler/resource/properties';
import { type CapturedLogs, captureLogs } from '../../fixtures/capture-logs';
import {
  type CustomResourceEvent,
  FAKE_SIGNATURE,
  LOGICAL_RESOURCE_ID,
  makeDelete,
  makeEvent,
  makeLambdaContext,
  makeUpdate,
  STACK_ID,
} from '../../fixtures/events';
import { type ResponseServer, startResponseServer } from '../../fixtures/response-server';

type FakeProperties = { name: string };

const ATTRIBUTES = { EventBusName: 'github-actions-event-bus', EventBusArn: 'arn:aws:events:us-east-1:1:event-bus/x' };

type Resource = CustomResource<FakeProperties>;
/** Every method of the resource as a jest mock, to inspect its calls. */
type FakeResource = { [K in keyof Resource]-?: jest.MockedFunction<NonNullable<Resource[K]>> };

const succeeding: Resource = {
  parse: (raw) => {
    const name = (raw as Record<string, unknown> | null)?.EventBusName;
    if (typeof name !== 'string') throw new Error('Invalid properties: EventBusName is required');
    return { name };
  },
  create: async (properties) => ({ id: properties.name, attributes: ATTRIBUTES }),
  update: async (_id, properties) => ({ id: properties.name, attributes: ATTRIBUTES }),
  delete: async () => undefined,
  failedCreateId: (_raw, requestId) => `failed-create:${requestId}`,
  operationOf: () => undefined,
};

/**
 * A resource whose methods are mocks: parse reads EventBusName (throwing when it is not a string), create and
 * update return it as id, delete succeeds; `overrides` replaces any of these.
 */
const fakeResource = (overrides: Partial<Resource> = {}): FakeResource => {
  const methods = { ...succeeding, ...overrides };
  return {
    parse: jest.fn(methods.parse),
    create: jest.fn(methods.create),
    update: jest.fn(methods.update),
    delete: jest.fn(methods.delete),
    failedCreateId: jest.fn(methods.failedCreateId),
    operationOf: jest.fn(methods.operationOf ?? (() => undefined)),
  };
};

const never = (): Promise<never> => new Promise(() => undefined);

const awsError = (name: string, message: string): Error => Object.assign(new Error(message), { name });

describe('handleRequest', () => {
  let server: ResponseServer;
  let logs: CapturedLogs;

  beforeEach(async () => {
    server = await startResponseServer();
    logs = captureLogs();
  });

  afterEach(async () => {
    await server.close();
  });

  /** Invokes handleRequest with the event's ResponseURL pointing at the loopback server. */
  const invoke = (
    event: CustomResourceEvent,
    resource: CustomResource<FakeProperties>,
    remainingMs = 300_000,
  ): Promise<void> => handleRequest({ ...event, ResponseURL: server.url }, makeLambdaContext(remainingMs), resource);

  const answer = () => {
    expect(server.requests).toHaveLength(1);
    return server.requests[0]?.json() ?? {};
  };

  describe('answers exactly once', () => {
    it.each<[string, () => CustomResourceEvent, () => ReturnType<typeof fakeResource>]>([
      ['a Create that succeeds', () => makeEvent(), () => fakeResource()],
      ['an Update that succeeds', () => makeUpdate(), () => fakeResource()],
      ['a Delete that succeeds', () => makeDelete(), () => fakeResource()],
      [
        'a Create that fails',
        () => makeEvent(),
        () => fakeResource({ create: jest.fn().mockRejectedValue(new Error('no')) }),
      ],
      [
        'an Update that fails',
        () => makeUpdate(),
        () => fakeResource({ update: jest.fn().mockRejectedValue(new Error('no')) }),
      ],
      [
        'a Delete that fails',
        () => makeDelete(),
        () => fakeResource({ delete: jest.fn().mockRejectedValue(new Error('no')) }),
      ],
      ['a malformed request', () => makeEvent({ RequestType: 'Replace' as 'Create' }), () => fakeResource()],
    ])('for %s', async (_, event, resource) => {
      // Prepare
      const request = event();

      // Act
      await invoke(request, resource());

      // Assess
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]?.method).toBe('PUT');
    });

    it('even when the work finishes after the deadline answer', async () => {
      // Prepare: the work ends as soon as it is abandoned for good, after the timeout answer
      const resource = fakeResource({
        create: jest.fn(
          (_properties, context) =>
            new Promise<Outcome>((resolve) =>
              context.undo.signal.addEventListener('abort', () => resolve({ id: 'late', attributes: {} })),
            ),
        ),
      });

      // Act
      await invoke(makeEvent(), resource, 600);
      await new Promise((resolve) => setTimeout(resolve, 50));

      // Assess
      expect(server.requests).toHaveLength(1);
      expect(answer()).toMatchObject({ Status: 'FAILED' });
    });
  });

  describe('on success', () => {
    it('answers SUCCESS with the PhysicalResourceId and Data the resource returned', async () => {
      // Prepare
      const resource = fakeResource();

      // Act
      await invoke(makeEvent(), resource);

      // Assess
      expect(answer()).toMatchObject({
        Status: 'SUCCESS',
        PhysicalResourceId: 'github-actions-event-bus',
        Data: ATTRIBUTES,
      });
      expect(answer()).not.toHaveProperty('Reason');
    });

    it.each([
      ['Create', () => makeEvent()],
      ['Update', () => makeUpdate()],
      ['Delete', () => makeDelete()],
    ])('echoes StackId, RequestId and LogicalResourceId of a %s', async (_, event) => {
      // Prepare
      const request = event();

      // Act
      await invoke(request, fakeResource());

      // Assess
      expect(answer()).toMatchObject({
        StackId: STACK_ID,
        RequestId: request.RequestId,
        LogicalResourceId: LOGICAL_RESOURCE_ID,
      });
    });

    it('creates from the parsed properties, with the stack and logical id as owner', async () => {
      // Prepare
      const resource = fakeResource();

      // Act
      await invoke(makeEvent({ ResourceProperties: { EventBusName: 'my-bus' } }), resource);

      // Assess
      expect(resource.create).toHaveBeenCalledWith(
        { name: 'my-bus' },
        expect.objectContaining({ owner: { stackId: STACK_ID, logicalId: LOGICAL_RESOURCE_ID } }),
      );
    });

    it('updates the request’s PhysicalResourceId with the new and old properties parsed', async () => {
      // Prepare
      const resource = fakeResource();

      // Act
      await invoke(makeUpdate({ EventBusName: 'new-bus' }, { EventBusName: 'old-bus' }, 'old-bus'), resource);

      // Assess
      expect(resource.update).toHaveBeenCalledWith(
        'old-bus',
        { name: 'new-bus' },
        { name: 'old-bus' },
        expect.anything(),
      );
      expect(answer()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'new-bus' });
    });

    it.each([
      ['invalid', { Nothing: 'here' }],
      ['not an object', 'garbage'],
    ])('does not fail an Update whose OldResourceProperties are %s', async (_, oldProperties) => {
      // Prepare
      const resource = fakeResource();

      // Act
      await invoke(makeUpdate({ EventBusName: 'b' }, oldProperties, 'b'), resource);

      // Assess
      expect(resource.update).toHaveBeenCalledWith('b', { name: 'b' }, undefined, expect.anything());
      expect(answer()).toMatchObject({ Status: 'SUCCESS' });
    });

    it('deletes the request’s PhysicalResourceId and answers with that same id', async () => {
      // Prepare
      const resource = fakeResource();

      // Act
      await invoke(makeDelete('bus-to-delete'), resource);

      // Assess
      expect(resource.delete).toHaveBeenCalledWith('bus-to-delete', expect.anything(), {
        name: 'github-actions-event-bus',
      });
      expect(answer()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'bus-to-delete' });
    });

    it('deletes with properties that do not parse as none, and never fails on them', async () => {
      // Prepare: properties a Create would refuse
      const resource = fakeResource();

      // Act
      await invoke(makeDelete('b', { ResourceProperties: { Broken: true } }), resource);

      // Assess
      expect(resource.delete).toHaveBeenCalledWith('b', expect.anything(), undefined);
      expect(answer()).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'b' });
    });
  });

  describe('on failure', () => {
    it('answers FAILED with the error’s message as Reason', async () => {
      // Prepare
      const resource = fakeResource({ create: jest.fn().mockRejectedValue(new Error('Event bus x has rules')) });

      // Act
      await invoke(makeEvent(), resource);

      // Assess
      expect(answer()).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/^Event bus x has rules/) });
    });

    it('does not label an error whose name ends in Error', async () => {
      // Prepare
      const error = awsError('BusHasRulesError', 'Event bus x has rules');
      const resource = fakeResource({ create: jest.fn().mockRejectedValue(error) });

      // Act
      await invoke(makeEvent(), resource);

      // Assess
      expect(answer().Reason).toMatch(/^Event bus x has rules/);
    });

    it('labels an AWS exception with its name', async () => {
      // Prepare
      const error = awsError('LimitExceededException', 'Too many event buses.');
      const resource = fakeResource({ create: jest.fn().mockRejectedValue(error) });

      // Act
      await invoke(makeEvent(), resource);

      // Assess
      expect(answer().Reason).toMatch(/^LimitExceededException: Too many event buses\./);
    });

    it('labels an error with the AWS operation it came from', async () => {
      // Prepare
      const error = awsError('AccessDeniedException', 'not authorized');
      const resource = fakeResource({
        create: jest.fn().mockRejectedValue(error),
        operationOf: jest.fn((thrown: unknown) => (thrown === error ? 'CreateEventBus' : undefined)),
      });

      // Act
      await invoke(makeEvent(), resource);

      // Assess
      expect(answer().Reason).toMatch(/^CreateEventBus failed: AccessDeniedException: not authorized/);
    });

    it('points the Reason at the function’s log stream', async () => {
      // Prepare
      const resource = fakeResource({ create: jest.fn().mockRejectedValue(new Error('no')) });
      const lambda = makeLambdaContext();

      // Act
      await handleRequest(makeEvent({ ResponseURL: server.url }), lambda, resource);

      // Assess
      expect(answer().Reason).toBe(`no (logs: ${lambda.logGroupName} ${lambda.logStreamName})`);
    });

    it('answers a failed Create with the id failedCreateId gives for its properties and RequestId', async () => {
      // Prepare
      const resource = fakeResource({
        create: jest.fn().mockRejectedValue(new Error('no')),
        failedCreateId: jest.fn(() => 'safe-id'),
      });
      const event = makeEvent({ ResourceProperties: { EventBusName: 'b', Extra: 1 } });

      // Act
      await invoke(event, resource);

      // Assess
      expect(resource.failedCreateId).toHaveBeenCalledWith({ EventBusName: 'b', Extra: 1 }, event.RequestId);
      expect(answer()).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'safe-id' });
    });

    it('answers a Create whose properties do not parse FAILED, with the failedCreateId id', async () => {
      // Prepare
      const resource = fakeResource();
      const event = makeEvent({ ResourceProperties: 'not an object' });

      // Act
      await invoke(event, resource);

      // Assess
      expect(resource.create).not.toHaveBeenCalled();
      expect(answer()).toMatchObject({
        Status: 'FAILED',
        Reason: expect.stringMatching(/^Invalid properties: EventBusName is required/),
        PhysicalResourceId: `failed-create:${event.RequestId}`,
      });
    });

    it('keeps the request’s own PhysicalResourceId when an Update fails', async () => {
      // Prepare
      const resource = fakeResource({ update: jest.fn().mockRejectedValue(new Error('no')) });

      // Act
      await invoke(makeUpdate({ EventBusName: 'new-bus' }, { EventBusName: 'old-bus' }, 'old-bus'), resource);

      // Assess
      expect(answer()).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'old-bus' });
      expect(resource.failedCreateId).not.toHaveBeenCalled();
    });

    it('keeps the request’s own PhysicalResourceId when an Update’s new properties do not parse', async () => {
      // Prepare
      const resource = fakeResource();

      // Act
      await invoke(makeUpdate({ Nothing: 1 }, { EventBusName: 'old-bus' }, 'old-bus'), resource);

      // Assess
      expect(answer()).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'old-bus' });
    });

    it('keeps the request’s own PhysicalResourceId when a Delete fails', async () => {
      // Prepare
      const resource = fakeResource({ delete: jest.fn().mockRejectedValue(new Error('has rules')) });

      // Act
      await invoke(makeDelete('bus-1'), resource);

      // Assess
      expect(answer()).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'bus-1' });
    });

    it('echoes StackId, RequestId and LogicalResourceId', async () => {
      // Prepare
      const resource = fakeResource({ create: jest.fn().mockRejectedValue(new Error('no')) });
      const event = makeEvent();

      // Act
      await invoke(event, resource);

      // Assess
      expect(answer()).toMatchObject({
        StackId: STACK_ID,
        RequestId: event.RequestId,
        LogicalResourceId: LOGICAL_RESOURCE_ID,
      });
    });

    it('logs the failure as one ERROR line naming the error', async () => {
      // Prepare
      const resource = fakeResource({ create: jest.fn().mockRejectedValue(awsError('ThrottlingException', 'slow')) });

      // Act
      await invoke(makeEvent(), resource);

      // Assess
      expect(logs.atLevel('ERROR')).toEqual([
        expect.objectContaining({ message: 'request failed', error: { name: 'ThrottlingException', message: 'slow' } }),
      ]);
    });

    it.each<[string, unknown]>([
      ['a string', 'plain string'],
      ['undefined', undefined],
      ['null', null],
      ['a number', 42],
      ['a plain object', { code: 'E' }],
      ['an object without a prototype', Object.create(null)],
    ])('never rejects, and answers FAILED, when the resource throws %s', async (_, thrown) => {
      // Prepare
      const resource = fakeResource({
        create: jest.fn(async () => {
          throw thrown;
        }),
      });

      // Act
      const handling = invoke(makeEvent(), resource);

      // Assess
      await expect(handling).resolves.toBeUndefined();
      expect(answer()).toMatchObject({ Status: 'FAILED', Reason: expect.any(String) });
    });

    it('says in the Reason what non-Error value was thrown', async () => {
      // Prepare
      const resource = fakeResource({
        delete: jest.fn(async () => {
          throw 'the bus is busy';
        }),
      });

      // Act
      await invoke(makeDelete(), resource);

      // Assess
      expect(answer().Reason).toMatch(/^the bus is busy/);
    });

    it('never rejects when parse throws synchronously a non-Error', async () => {
      // Prepare
      const resource = fakeResource({
        parse: jest.fn(() => {
          throw undefined;
        }),
      });

      // Act
      const handling = invoke(makeEvent(), resource);

      // Assess
      await expect(handling).resolves.toBeUndefined();
      expect(answer()).toMatchObject({ Status: 'FAILED' });
    });

    it('never rejects when create throws synchronously instead of rejecting', async () => {
      // Prepare
      const resource = fakeResource({
        create: jest.fn(() => {
          throw new Error('sync');
        }),
      });

      // Act
      const handling = invoke(makeEvent(), resource);

      // Assess
      await expect(handling).resolves.toBeUndefined();
      expect(answer()).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/^sync/) });
    });
  });

  describe('at the deadline', () => {
    it('answers FAILED before the Lambda’s remaining time runs out when the work never finishes', async () => {
      // Prepare
      const resource = fakeResource({ create: jest.fn(never) });
      const started = Date.now();

      // Act
      await invoke(makeEvent(), resource, 1_500);

      // Assess
      expect(answer()).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('did not finish') });
      expect(server.requests[0]?.receivedAt).toBeLessThan(started + 1_500);
    });

    it('answers a timed-out Create with the failedCreateId id', async () => {
      // Prepare
      const resource = fakeResource({ create: jest.fn(never), failedCreateId: jest.fn(() => 'safe-id') });

      // Act
      await invoke(makeEvent(), resource, 600);

      // Assess
      expect(answer()).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'safe-id' });
    });

    it('answers a timed-out Delete with the request’s own id', async () => {
      // Prepare
      const resource = fakeResource({ delete: jest.fn(never) });

      // Act
      await invoke(makeDelete('bus-2'), resource, 600);

      // Assess
      expect(answer()).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'bus-2' });
    });

    it('tells the work when it must stop', async () => {
      // Prepare
      const resource = fakeResource();
      const started = Date.now();

      // Act
      await invoke(makeEvent(), resource, 60_000);

      // Assess
      const context = resource.create.mock.calls[0]?.[1] as RequestContext;
      expect(context.deadlineAt).toBeGreaterThan(started);
      expect(context.deadlineAt).toBeLessThanOrEqual(Date.now() + 60_000);
    });
  });

  describe('with a ServiceTimeout', () => {
    it('answers FAILED before the ServiceTimeout when it ends before the Lambda’s time', async () => {
      // Prepare
      const resource = fakeResource({ create: jest.fn(never) });
      const started = Date.now();
      // Act
      await invoke(makeEvent({ ResourceProperties: { EventBusName: 'b', ServiceTimeout: '2' } }), resource);
      // Assess
      expect(answer()).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('ServiceTimeout') });
      expect(server.requests[0]?.receivedAt).toBeLessThan(started + 2_000);
    });

    it('falls back to the Lambda’s time when the ServiceTimeout is malformed', async () => {
      // Prepare
      const resource = fakeResource();
      const logs = captureLogs();
      // Act
      await invoke(makeEvent({ ResourceProperties: { EventBusName: 'b', ServiceTimeout: 'soon' } }), resource);
      // Assess
      expect(logs.entries().find((entry) => entry.message === 'deadline')).toMatchObject({ source: 'lambda' });
      logs.restore();
      expect(answer()).toMatchObject({ Status: 'SUCCESS' });
    });

    it('logs where the deadline came from and how the time is split', async () => {
      // Prepare
      const logs = captureLogs();
      // Act
      await invoke(makeEvent({ ResourceProperties: { EventBusName: 'b', ServiceTimeout: '60' } }), fakeResource());
      // Assess
      const line = logs.entries().find((entry) => entry.message === 'deadline');
      logs.restore();
      expect(line).toMatchObject({
        source: 'ServiceTimeout',
        budgetMs: expect.any(Number),
        undoMs: expect.any(Number),
      });
      expect(line?.budgetMs).toBeLessThanOrEqual(60_000);
      expect(line?.budgetMs).toBeGreaterThan(59_000);
      // A quarter of the budget
      expect(line?.undoMs).toBeGreaterThan(14_750);
      expect(line?.undoMs).toBeLessThanOrEqual(15_000);
      // What is left for the work: the budget less the undo and the answer's tenth (6 s)
      expect(line?.workMs).toBeGreaterThan(38_500);
      expect(line?.workMs).toBeLessThanOrEqual(39_000);
    });
  });

  describe('when the work runs out of time', () => {
    it('lets it take back partial work after its own signal aborts, then answers with the deadline as Reason', async () => {
      // Prepare: the work fails when aborted, and then spends 100 ms undoing under the undo signal
      let undoneWhileUndoSignalLive = false;
      const resource = fakeResource({
        create: jest.fn(
          (_properties, context) =>
            new Promise<Outcome>((_, reject) =>
              context.signal.addEventListener('abort', async () => {
                await new Promise((resolve) => setTimeout(resolve, 100));
                undoneWhileUndoSignalLive = !context.undo.signal.aborted;
                reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
              }),
            ),
        ),
      });
      // Act
      await invoke(makeEvent({ ResourceProperties: { EventBusName: 'b', ServiceTimeout: '8' } }), resource);
      // Assess
      expect(undoneWhileUndoSignalLive).toBe(true);
      expect(answer()).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/^The work did not finish/) });
    });

    it.each([
      ['throws', true],
      ['returns', false],
    ])(
      'answers on time with the work’s own reason while a long undo goes on, then returns when the undo ends (it %s)',
      async (_ending, throws) => {
        // Prepare: the work fails at once; its undo takes 2.5 s, past the 2 s ServiceTimeout, then throws or returns
        let undoFinishedAt = 0;
        const resource = fakeResource({
          create: jest.fn(async (_properties, context) => {
            const error = awsError('AccessDeniedException', 'not allowed to start discovery');
            context.failing?.(error);
            await new Promise((resolve) => setTimeout(resolve, 2_500));
            undoFinishedAt = context.undo.signal.aborted ? -1 : Date.now();
            if (throws) throw error;
            return { id: 'b', attributes: {} };
          }),
        });
        const logs = captureLogs();
        const started = Date.now();
        // Act
        await invoke(makeEvent({ ResourceProperties: { EventBusName: 'b', ServiceTimeout: '2' } }), resource, 10_000);
        // Assess: the undo may run until the function's own end, less its reserve, never past it
        const entries = logs.entries();
        logs.restore();
        expect(answer()).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('not allowed to start') });
        expect(server.requests[0]?.receivedAt).toBeLessThan(started + 2_000);
        expect(undoFinishedAt).toBeGreaterThan(server.requests[0]?.receivedAt ?? Number.POSITIVE_INFINITY);
        const deadline = entries.find((entry) => entry.message === 'deadline');
        expect(deadline?.undoAfterAnswerMs).toBeGreaterThan(2_500);
        expect(deadline?.undoAfterAnswerMs).toBeLessThan(10_000);
        const goesOn = entries.find((entry) => entry.message === 'answered; taking back partial work goes on');
        expect(goesOn?.untilMs).toBeGreaterThan(2_500);
        expect(goesOn?.untilMs).toBeLessThan(10_000);
        expect(entries.map((entry) => entry.message)).not.toContain(
          'the undo did not finish within the function’s time',
        );
      },
    );

    it('abandons an undo that outlasts the function’s own time, and says so', async () => {
      // Prepare: an undo that never ends, in a function with 2 s left
      const resource = fakeResource({
        create: jest.fn(async (_properties, context) => {
          context.failing?.(new Error('no'));
          return never();
        }),
      });
      const logs = captureLogs();
      const started = Date.now();
      // Act
      await invoke(makeEvent(), resource, 2_000);
      const returnedAt = Date.now();
      // Assess
      const messages = logs.entries().map((entry) => entry.message);
      logs.restore();
      expect(answer()).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/^no/) });
      expect(returnedAt - started).toBeLessThan(2_000);
      expect(messages).toContain('the undo did not finish within the function’s time');
    });

    it('keeps the work’s own reason when it failed in time and only its undo ran past the work’s deadline', async () => {
      // Prepare: fails just after the work's deadline (0.5 s of a 2 s ServiceTimeout), as an undo that ran long would
      const resource = fakeResource({
        create: jest.fn(async (_properties, context) => {
          await new Promise((resolve) => setTimeout(resolve, context.deadlineAt - Date.now() + 100));
          throw awsError('AccessDeniedException', 'not allowed to stop discovery');
        }),
      });
      // Act
      await invoke(makeEvent({ ResourceProperties: { EventBusName: 'b', ServiceTimeout: '2' } }), resource);
      // Assess
      expect(answer()).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('not allowed to stop') });
    });

    it('gives the work the request’s deadline, and the undo the function’s own time', async () => {
      // Prepare
      const resource = fakeResource();
      // Act
      await invoke(makeEvent({ ResourceProperties: { EventBusName: 'b', ServiceTimeout: '8' } }), resource);
      // Assess
      const context = resource.create.mock.calls[0]?.[1] as RequestContext;
      // 8 s less a quarter (the answer's wait for the undo) and a tenth (the answer)
      expect(context.deadlineAt - context.startedAt).toBeGreaterThan(5_150);
      expect(context.deadlineAt - context.startedAt).toBeLessThan(5_201);
      // The function's 300 s less its answer reserve (10 s): the undo may outlive the ServiceTimeout's answer
      expect(context.undo.deadlineAt - context.startedAt).toBeGreaterThan(289_900);
      expect(context.undo.deadlineAt - context.startedAt).toBeLessThan(290_001);
    });

    it('never sets the undo’s deadline past the function’s own end less its reserve, even when the clock ticks', async () => {
      // Prepare: the clock ticks after the remaining time is read, so a deadline counted from a later moment runs late
      const lambda = makeLambdaContext(300_000);
      const functionEndsAt = Date.now() + lambda.getRemainingTimeInMillis();
      const remaining = lambda.getRemainingTimeInMillis;
      lambda.getRemainingTimeInMillis = () => {
        const read = remaining();
        const readAt = Date.now();
        while (Date.now() < readAt + 2) {
          // the clock ticks after the read
        }
        return read;
      };
      const resource = fakeResource();
      // Act
      await handleRequest({ ...makeEvent(), ResponseURL: server.url }, lambda, resource);
      // Assess
      const context = resource.create.mock.calls[0]?.[1] as RequestContext;
      expect(context.undo.deadlineAt).toBeLessThanOrEqual(functionEndsAt - 10_000);
    });

    it('gives each invocation its own mark, even for the same request', async () => {
      // Prepare
      const resource = fakeResource();
      const event = makeEvent();
      // Act
      await invoke(event, resource);
      await invoke(event, resource);
      // Assess
      const [first, second] = resource.create.mock.calls.map((call) => (call[1] as RequestContext).marker);
      expect(first).toMatch(/^[0-9a-f-]{36}$/);
      expect(second).toMatch(/^[0-9a-f-]{36}$/);
      expect(first).not.toBe(second);
    });

    it('tells the work the account and region it runs in, from the function’s ARN', async () => {
      // Prepare
      const resource = fakeResource();
      // Act
      await invoke(makeEvent(), resource);
      // Assess
      const context = resource.create.mock.calls[0]?.[1] as RequestContext;
      expect(context.location).toEqual({ partition: 'aws', region: 'us-east-1', accountId: '123456789012' });
    });
  });

  describe('the work’s AbortSignal', () => {
    it('is not aborted while the work runs', async () => {
      // Prepare
      let abortedDuringWork: boolean | undefined;
      const resource = fakeResource({
        create: jest.fn(async (_properties, context) => {
          abortedDuringWork = context.signal.aborted;
          return { id: 'b', attributes: {} };
        }),
      });

      // Act
      await invoke(makeEvent(), resource);

      // Assess
      expect(abortedDuringWork).toBe(false);
    });

    it('is aborted once the request is answered', async () => {
      // Prepare
      const resource = fakeResource();

      // Act
      await invoke(makeEvent(), resource);

      // Assess
      const context = resource.create.mock.calls[0]?.[1] as RequestContext;
      expect(context.signal.aborted).toBe(true);
    });

    it('is aborted once a timed-out request is answered', async () => {
      // Prepare
      const resource = fakeResource({ update: jest.fn(never) });

      // Act
      await invoke(makeUpdate(), resource, 600);

      // Assess
      const context = resource.update.mock.calls[0]?.[3] as RequestContext;
      expect(server.requests).toHaveLength(1);
      expect(context.signal.aborted).toBe(true);
    });
  });

  describe('a malformed request', () => {
    it('is answered FAILED naming the problem, without calling the resource', async () => {
      // Prepare
      const resource = fakeResource();

      // Act
      await invoke(makeEvent({ RequestType: 'Replace' as 'Create' }), resource);

      // Assess
      expect(answer()).toMatchObject({ Status: 'FAILED', Reason: 'Malformed request: unknown RequestType "Replace"' });
      expect(resource.create).not.toHaveBeenCalled();
    });

    it('is answered with its own PhysicalResourceId when it has one', async () => {
      // Prepare
      const event = makeEvent({ RequestType: 'Replace' as 'Create', PhysicalResourceId: 'bus-3' });

      // Act
      await invoke(event, fakeResource());

      // Assess
      expect(answer()).toMatchObject({ PhysicalResourceId: 'bus-3' });
    });

    it('is answered with a placeholder PhysicalResourceId when it has none', async () => {
      // Prepare
      const event = makeEvent({ RequestType: 'Delete', PhysicalResourceId: undefined });

      // Act
      await invoke(event, fakeResource());

      // Assess
      const { PhysicalResourceId } = answer();
      expect(answer()).toMatchObject({ Status: 'FAILED' });
      // Not a bus name (":" is not allowed in one), so the Delete that may follow touches nothing.
      expect(PhysicalResourceId).toBe(`invalid-request:${event.RequestId}`);
      expect(isValidBusName(PhysicalResourceId)).toBe(false);
    });

    it('is answered with a placeholder that names no bus when it has neither PhysicalResourceId nor RequestId', async () => {
      // Prepare
      const event = makeEvent({ RequestType: 'Delete', PhysicalResourceId: undefined, RequestId: undefined });

      // Act
      await invoke(event, fakeResource());

      // Assess
      expect(answer()).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'invalid-request:unknown' });
    });

    it('without a ResponseURL resolves without answering and logs one ERROR line', async () => {
      // Prepare
      const event = makeEvent({ ResponseURL: undefined });
      const resource = fakeResource();

      // Act
      const handling = handleRequest(event, makeLambdaContext(), resource);

      // Assess
      await expect(handling).resolves.toBeUndefined();
      expect(resource.create).not.toHaveBeenCalled();
      expect(logs.atLevel('ERROR')).toEqual([
        expect.objectContaining({ problem: 'missing or not a string: ResponseURL' }),
      ]);
    });

    it.each([
      ['null', null],
      ['a string', 'event'],
    ])('that is %s resolves and logs one ERROR line', async (_, event) => {
      // Prepare
      const resource = fakeResource();

      // Act
      const handling = handleRequest(event, makeLambdaContext(), resource);

      // Assess
      await expect(handling).resolves.toBeUndefined();
      expect(logs.atLevel('ERROR')).toHaveLength(1);
    });
  });

  describe('logs', () => {
    it('carry the request type, logical id and request id', async () => {
      // Prepare
      const event = makeEvent();

      // Act
      await invoke(event, fakeResource());

      // Assess
      expect(logs.entries().length).toBeGreaterThan(0);
      for (const entry of logs.entries()) {
        expect(entry).toMatchObject({ requestType: 'Create', logicalResourceId: 'Bus', requestId: event.RequestId });
      }
    });

    it.each<[string, () => CustomResourceEvent, () => ReturnType<typeof fakeResource>, number]>([
      ['a success', () => makeEvent(), () => fakeResource(), 300_000],
      [
        'a failure',
        () => makeUpdate(),
        () => fakeResource({ update: jest.fn().mockRejectedValue(awsError('ValidationException', 'bad')) }),
        300_000,
      ],
      ['a timeout', () => makeDelete(), () => fakeResource({ delete: jest.fn(never) }), 600],
      ['a malformed request', () => makeEvent({ StackId: undefined }), () => fakeResource(), 300_000],
    ])('never contain the ResponseURL’s signature, on %s', async (_, event, resource, remainingMs) => {
      // Prepare
      const request = event();

      // Act
      await invoke(request, resource(), remainingMs);

      // Assess
      expect(server.requests).toHaveLength(1);
      expect(logs.text()).toContain(server.url.slice(0, server.url.indexOf('?')));
      expect(logs.text()).not.toContain(FAKE_SIGNATURE);
    });

    it('never contain the signature, nor does the Reason, when an error quotes the ResponseURL', async () => {
      // Prepare
      const resource = fakeResource({
        create: jest.fn(async () => {
          throw new Error(`could not reach ${server.url}`);
        }),
      });

      // Act
      await invoke(makeEvent(), resource);

      // Assess
      expect(answer().Reason).toMatch(/^could not reach http:\/\/127\.0\.0\.1:\d+\/.*\?\*\*\*/);
      expect(logs.text()).not.toContain(FAKE_SIGNATURE);
    });
  });
});

describe('the function’s own location, read from the ARN it was invoked by', () => {
  it.each([
    ['an unqualified ARN', 'arn:aws:lambda:us-east-1:123456789012:function:bus-provider'],
    ['an alias ARN', 'arn:aws:lambda:us-east-1:123456789012:function:bus-provider:live'],
  ])('gives partition, region and account for %s', (_, arn) => {
    // Act
    const location = locationOf(arn);
    // Assess
    expect(location).toEqual({ partition: 'aws', region: 'us-east-1', accountId: '123456789012' });
  });

  it('reads other partitions', () => {
    // Act
    const location = locationOf('arn:aws-cn:lambda:cn-north-1:123456789012:function:f');
    // Assess
    expect(location).toEqual({ partition: 'aws-cn', region: 'cn-north-1', accountId: '123456789012' });
  });

  it.each([
    ['no ARN', undefined],
    ['an ARN of something else', 'arn:aws:sqs:us-east-1:123456789012:queue'],
    ['an ARN with text before it', 'not-arn:aws:lambda:us-east-1:123456789012:function:f'],
    ['an account that is not 12 digits', 'arn:aws:lambda:us-east-1:1234:function:f'],
  ])('gives none for %s, so the bus is named by a call instead', (_, arn) => {
    // Act
    const location = locationOf(arn);
    // Assess
    expect(location).toBeUndefined();
  });
});
