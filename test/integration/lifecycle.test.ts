import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LocalStack } from '../../scripts/lib/local-stack';
import { checkAnswer, followUp, lifecycleOperations, type Operation } from '../../scripts/lifecycle/operations';
import { answerOf, type Harness, LOGICAL_ID, leftovers, signatureOf, startHarness } from './harness';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());
beforeEach(() => harness.emulator.reset());

const busProps = (extra: Record<string, unknown> = {}) => ({
  ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider',
  EventBusName: 'github-actions-event-bus',
  ...extra,
});

const foreignBus = async (name: string) => {
  const client = new EventBridgeClient({ endpoint: harness.emulator.url });
  await client.send(new CreateEventBusCommand({ Name: name, Tags: [{ Key: 'team', Value: 'platform' }] }));
};

describe('the CloudFormation lifecycle of the built bundle', () => {
  it('runs create, stop, rename, both deletes, each accepted, and leaves nothing behind', async () => {
    // Prepare
    const problems: string[] = [];
    let current: Operation | undefined;
    const stack = new LocalStack(harness.cloudFormation, LOGICAL_ID, (request) => {
      const { title, expect } = request.role === 'operation' && current ? current : followUp(request);
      problems.push(...checkAnswer(request, expect, request.invocation).map((problem) => `${title}: ${problem}`));
    });
    // Act
    for (const operation of lifecycleOperations(busProps({ Tags: [{ Key: 'app', Value: 'runners' }] }))) {
      current = operation;
      if (operation.action === 'create') await stack.create(operation.properties);
      else if (operation.action === 'update') await stack.update(operation.properties);
      else await stack.delete();
    }
    // Assess
    expect(problems).toEqual([]);
    expect(leftovers(harness.emulator)).toEqual([]);
  });

  it('answers once with an empty content-type and a body CloudFormation accepts', async () => {
    // Act
    const invocation = await harness.create(busProps());
    // Assess
    const answer = answerOf(invocation);
    expect(invocation.headers['content-type']).toBe('');
    expect(answer).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'github-actions-event-bus',
      StackId: harness.cloudFormation.stackId,
      RequestId: invocation.event.RequestId,
      LogicalResourceId: LOGICAL_ID,
    });
    expect(Buffer.byteLength(JSON.stringify(answer))).toBeLessThanOrEqual(4096);
  });

  it('puts the discoverer on exactly the bus it created, started, with the tags on both', async () => {
    // Act
    await harness.create(busProps({ Tags: [{ Key: 'app', Value: 'runners' }] }));
    // Assess
    const [bus] = harness.emulator.buses();
    const [discoverer] = harness.emulator.discoverers();
    expect(discoverer?.sourceArn).toBe(bus?.arn);
    expect(discoverer?.state).toBe('STARTED');
    expect(bus?.tags).toMatchObject({ app: 'runners' });
    expect(discoverer?.tags).toMatchObject({ app: 'runners' });
  });

  it('fails bad input naming each property, without any AWS call', async () => {
    // Act
    const invocation = await harness.create(
      busProps({ EventBusName: 'has/slash', CrossAccount: 'yes', Colour: 'blue', KmsKeyIdentifier: 'alias/k' }),
    );
    // Assess
    const answer = answerOf(invocation);
    expect(answer.Status).toBe('FAILED');
    for (const name of ['EventBusName', 'CrossAccount', 'Colour', 'KmsKeyIdentifier'])
      expect(answer.Reason).toContain(name);
    expect(harness.emulator.calls).toEqual([]);
    expect(invocation.awsCalls).toEqual([]);
  });

  it('succeeds without touching anything on the Delete that follows a bad-input Create', async () => {
    // Prepare
    const failed = answerOf(await harness.create(busProps({ EventBusName: 'default' })));
    // Act
    const deleted = answerOf(await harness.delete(failed.PhysicalResourceId, busProps({ EventBusName: 'default' })));
    // Assess
    expect(deleted.Status).toBe('SUCCESS');
    expect(harness.emulator.calls).toEqual([]);
  });

  it('converges when CloudFormation delivers the same Create twice', async () => {
    // Prepare
    await harness.create(busProps());
    // Act
    const again = answerOf(await harness.create(busProps()));
    // Assess
    expect(again).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'github-actions-event-bus' });
    expect(leftovers(harness.emulator)).toEqual([
      'bus github-actions-event-bus',
      'discoverer events-event-bus-github-actions-event-bus',
    ]);
  });

  it('converges when the same Delete arrives twice', async () => {
    // Prepare
    await harness.create(busProps());
    await harness.delete('github-actions-event-bus');
    // Act
    const again = answerOf(await harness.delete('github-actions-event-bus'));
    // Assess
    expect(again.Status).toBe('SUCCESS');
    expect(leftovers(harness.emulator)).toEqual([]);
  });
});

describe('ownership', () => {
  it('refuses a bus it did not create and its rollback Delete leaves that bus alone', async () => {
    // Prepare
    await foreignBus('github-actions-event-bus');
    // Act
    const failed = answerOf(await harness.create(busProps()));
    const rollback = answerOf(await harness.delete(failed.PhysicalResourceId, busProps()));
    // Assess
    expect(failed.Status).toBe('FAILED');
    expect(failed.Reason).toMatch(/already exists.*AdoptExisting/);
    expect(rollback.Status).toBe('SUCCESS');
    expect(harness.emulator.buses().map((bus) => bus.tags)).toEqual([{ team: 'platform' }]);
  });

  it('adopts a bus with AdoptExisting, and its Delete removes only the discoverer', async () => {
    // Prepare
    await foreignBus('github-actions-event-bus');
    const props = busProps({ AdoptExisting: 'true' });
    // Act
    const created = answerOf(await harness.create(props));
    const discoverersAfterCreate = harness.emulator.discoverers().length;
    const deleted = answerOf(await harness.delete(created.PhysicalResourceId, props));
    // Assess
    expect(created.Status).toBe('SUCCESS');
    expect(discoverersAfterCreate).toBe(1);
    expect(deleted.Status).toBe('SUCCESS');
    expect(leftovers(harness.emulator)).toEqual(['bus github-actions-event-bus']);
    expect(harness.emulator.buses()[0]?.tags).toEqual({ team: 'platform' });
  });

  it('does not delete a bus that another stack resource created under the same name', async () => {
    // Prepare
    await harness.create(busProps());
    // Act
    const other = await harness.cloudFormation.send('Delete', 'SomeOtherResource', busProps(), {
      physicalResourceId: 'github-actions-event-bus',
    });
    // Assess
    expect(answerOf(other).Status).toBe('SUCCESS');
    expect(leftovers(harness.emulator)).toHaveLength(2);
  });
});

describe('updates', () => {
  it('rolls back a failed update with old and new swapped', async () => {
    // Prepare
    const before = busProps({ Description: 'before' });
    const after = busProps({ Description: 'after', DiscovererState: 'STOPPED' });
    await harness.create(before);
    harness.emulator.inject({
      operation: 'StopDiscoverer',
      times: Number.POSITIVE_INFINITY,
      action: { type: 'error', name: 'AccessDeniedException', status: 403 },
    });
    const failed = answerOf(await harness.update('github-actions-event-bus', after, before));
    harness.emulator.clearFaults();
    // Act
    const rollback = answerOf(await harness.update('github-actions-event-bus', before, after));
    // Assess
    expect(failed.Status).toBe('FAILED');
    expect(failed.Reason).toContain('StopDiscoverer failed: AccessDeniedException');
    expect(rollback.Status).toBe('SUCCESS');
    expect(harness.emulator.buses()[0]?.description).toBe('before');
    expect(harness.emulator.discoverers()[0]?.state).toBe('STARTED');
  });

  it('recreates a bus and discoverer deleted out of band', async () => {
    // Prepare
    await harness.create(busProps());
    harness.emulator.reset();
    // Act
    const answer = answerOf(await harness.update('github-actions-event-bus', busProps(), busProps()));
    // Assess
    expect(answer.Status).toBe('SUCCESS');
    expect(leftovers(harness.emulator)).toHaveLength(2);
  });
});

describe('logging', () => {
  it('never writes the ResponseURL signature to its output', () => {
    // Assess (over every invocation of this file; the suite runs in order)
    expect(harness.invocations.length).toBeGreaterThan(5);
    for (const invocation of harness.invocations) expect(invocation.output).not.toContain(signatureOf(invocation));
  });

  it('writes one structured JSON line per step', () => {
    // Assess
    const invocation = harness.invocations[0];
    const lines = invocation?.output.trim().split('\n') ?? [];
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines.filter((l) => l.startsWith('{'))) {
      expect(JSON.parse(line)).toMatchObject({
        level: expect.any(String),
        message: expect.any(String),
        requestType: 'Create',
      });
    }
  });

  it('writes one line per AWS call, naming the operation, its outcome and how long it took', async () => {
    // Act
    const invocation = await harness.create(busProps());
    // Assess
    const calls = invocation.logs.filter((line) => line.message === 'aws call');
    expect(calls.map(({ operation, outcome }) => [operation, outcome])).toEqual([
      ['CreateEventBus', 'ok'],
      ['CreateDiscoverer', 'ok'],
    ]);
    for (const { ms } of calls) {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThan(60_000);
    }
  });
});
