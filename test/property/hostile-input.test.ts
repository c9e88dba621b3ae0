import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  EventBridgeClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import {
  CreateDiscovererCommand,
  DescribeDiscovererCommand,
  NotFoundException,
  SchemasClient,
  StopDiscovererCommand,
} from '@aws-sdk/client-schemas';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { handler } from '../../handler/index';
import { captureLogs } from '../fixtures/capture-logs';
import { makeEvent, makeLambdaContext } from '../fixtures/events';
import { type ResponseServer, startResponseServer } from '../fixtures/response-server';

const events = mockClient(EventBridgeClient);
const schemas = mockClient(SchemasClient);
let server: ResponseServer;

const BUS_ARN = 'arn:aws:events:us-east-1:123456789012:event-bus/x';
const NUM_RUNS = 60;

beforeAll(async () => {
  server = await startResponseServer();
});
afterAll(() => server.close());
beforeEach(() => {
  events.reset();
  schemas.reset();
  // A world where nothing exists yet and every create succeeds, so only the input decides the outcome.
  events.on(CreateEventBusCommand).resolves({ EventBusArn: BUS_ARN });
  events.on(DescribeEventBusCommand).rejects(new ResourceNotFoundException({ message: 'none', $metadata: {} }));
  schemas.on(CreateDiscovererCommand).resolves({ DiscovererId: 'd', DiscovererArn: 'arn:d', State: 'STARTED' });
  schemas.on(StopDiscovererCommand).resolves({ DiscovererId: 'd', State: 'STOPPED' });
  schemas
    .on(DescribeDiscovererCommand)
    .rejects(new NotFoundException({ message: 'none', Code: 'NotFoundException', Message: 'none', $metadata: {} }));
  captureLogs();
});

const awsCalls = () => events.calls().length + schemas.calls().length;

/** Invokes the handler once; returns the single answer it PUT, failing if there were none or several. */
const invoke = async (event: Record<string, unknown>) => {
  const before = server.requests.length;
  await expect(handler({ ...event, ResponseURL: server.url }, makeLambdaContext())).resolves.toBeUndefined();
  const answers = server.requests.slice(before);
  expect(answers).toHaveLength(1);
  const [answer] = answers;
  expect(answer?.raw.length).toBeLessThanOrEqual(4096);
  return answer?.json<{ Status: string; Reason?: string; PhysicalResourceId: string }>();
};

// Keys that reach into prototypes when an object is built carelessly.
const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty');
const hugeString = fc.string({ unit: 'grapheme', minLength: 300, maxLength: 5000 });
// Object.fromEntries defines own properties, so `__proto__` becomes a real key, as JSON.parse makes it.
const objectWith = (entries: [string, unknown][]) => Object.fromEntries(entries);

describe('arbitrary input', () => {
  it('answers exactly once with a valid body and never rejects, whatever the properties', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.anything(), fc.array(fc.tuple(fc.oneof(hostileKey, fc.string()), fc.anything())).map(objectWith)),
        fc.constantFrom('Create', 'Update', 'Delete'),
        fc.string({ minLength: 1, maxLength: 300 }),
        async (properties, requestType, physicalId) => {
          const answer = await invoke(
            makeEvent({
              RequestType: requestType,
              ResourceProperties: properties,
              OldResourceProperties: properties,
              ...(requestType === 'Create' ? {} : { PhysicalResourceId: physicalId }),
            }),
          );
          expect(answer?.PhysicalResourceId).not.toBe('');
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('answers well-formed envelopes with arbitrary identifiers and echoes them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 200 }),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }),
        fc.uuid(),
        async (logicalId, stackSuffix, requestId) => {
          const stackId = `arn:aws:cloudformation:us-east-1:123456789012:stack/${stackSuffix}`;
          const answer = await invoke(
            makeEvent({ LogicalResourceId: logicalId, StackId: stackId, RequestId: requestId }),
          );
          expect(answer).toMatchObject({ StackId: stackId, RequestId: requestId, LogicalResourceId: logicalId });
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('invalid properties', () => {
  // Each generator corrupts one property of a valid set; the FAILED Reason must name that property.
  const corruptions: [string, fc.Arbitrary<unknown>][] = [
    [
      'EventBusName',
      fc.oneof(
        fc.constant('default'),
        fc.string().filter((s) => !/^[A-Za-z0-9._-]{1,256}$/.test(s)),
        hugeString,
        fc.integer(),
        fc.object(),
      ),
    ],
    ['Description', fc.oneof(fc.string({ minLength: 513, maxLength: 2000 }), fc.integer(), fc.array(fc.string()))],
    ['DiscovererDescription', fc.oneof(fc.string({ minLength: 257, maxLength: 2000 }), fc.boolean())],
    ['DiscovererState', fc.string().filter((s) => s !== 'STARTED' && s !== 'STOPPED')],
    [
      'CrossAccount',
      fc.oneof(
        fc.string().filter((s) => s !== 'true' && s !== 'false'),
        fc.integer(),
        fc.constant(null),
      ),
    ],
    [
      'AdoptExisting',
      fc.oneof(
        fc.string().filter((s) => s !== 'true' && s !== 'false'),
        fc.object(),
      ),
    ],
    ['DeadLetterConfig', fc.oneof(fc.string(), fc.record({ Arn: fc.string() }), fc.array(fc.anything()))],
    [
      'LogConfig',
      fc.oneof(
        fc.string(),
        fc.array(fc.anything()),
        fc.record({ Level: fc.string().filter((s) => !['OFF', 'ERROR', 'INFO', 'TRACE'].includes(s)) }),
        fc.record({ IncludeDetail: fc.anything().filter((v) => v !== undefined && v !== 'FULL' && v !== 'NONE') }),
      ),
    ],
    [
      'Tags',
      fc.oneof(
        fc.string(),
        fc.object(),
        fc.array(fc.record({ Key: fc.integer(), Value: fc.string() }), { minLength: 1 }),
      ),
    ],
  ];

  it.each(corruptions)('fails a bad %s naming it, with no AWS call', async (name, bad) => {
    await fc.assert(
      fc.asyncProperty(bad, async (value) => {
        const callsBefore = awsCalls();
        const answer = await invoke(makeEvent({ ResourceProperties: { EventBusName: 'ok-bus', [name]: value } }));
        expect(answer?.Status).toBe('FAILED');
        expect(answer?.Reason).toContain(name);
        expect(awsCalls()).toBe(callsBefore);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('fails unknown and prototype-polluting keys with no AWS call and no pollution', async () => {
    await fc.assert(
      fc.asyncProperty(hostileKey, fc.anything(), async (key, value) => {
        const callsBefore = awsCalls();
        const answer = await invoke(
          makeEvent({
            ResourceProperties: objectWith([
              ['EventBusName', 'ok-bus'],
              [key, value],
            ]),
          }),
        );
        expect(answer?.Status).toBe('FAILED');
        expect(answer?.Reason).toContain(key);
        expect(awsCalls()).toBe(callsBefore);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('valid properties', () => {
  it('creates any valid bus', async () => {
    const tag = fc.record({
      Key: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
      Value: fc.string({ maxLength: 256 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Za-z0-9._-]{1,256}$/).filter((name) => name !== 'default'),
        fc.string({ maxLength: 512 }),
        fc.constantFrom('STARTED', 'STOPPED'),
        fc.constantFrom('true', 'false'),
        fc.uniqueArray(tag, { selector: (t) => t.Key, maxLength: 10 }),
        async (name, description, state, crossAccount, tags) => {
          const answer = await invoke(
            makeEvent({
              ResourceProperties: {
                EventBusName: name,
                Description: description,
                DiscovererState: state,
                CrossAccount: crossAccount,
                Tags: tags,
              },
            }),
          );
          expect(answer).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: name });
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
