// What the bus steps of an Update and a Delete look like from outside: which calls go out, how long a Delete
// waits for the discoverer's rule, and when it stops waiting. Through the resource's public functions only.
import { getEventListeners } from 'node:events';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DescribeEventBusCommand,
  EventBridgeClient,
  ListRulesCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UpdateEventBusCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateDiscovererCommand, DescribeDiscovererCommand, SchemasClient } from '@aws-sdk/client-schemas';
import { mockClient } from 'aws-sdk-client-mock';
import type { RequestContext } from '../../../handler/resource/context';
import { BusHasRulesError } from '../../../handler/resource/errors';
import {
  createGithubEventBus,
  deleteGithubEventBus,
  updateGithubEventBus,
} from '../../../handler/resource/github-event-bus';
import { parseProperties } from '../../../handler/resource/properties';
import { captureLogs } from '../../fixtures/capture-logs';
import { resourceContext } from '../../fixtures/resource';

const events = mockClient(EventBridgeClient);
const schemas = mockClient(SchemasClient);

const NAME = 'github-actions-event-bus';
const BUS_ARN = `arn:aws:events:us-east-1:123456789012:event-bus/${NAME}`;
const DISCOVERER_ID = `events-event-bus-${NAME}`;
const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/1c2fa620-82ec-11ef-9b5e-0affe2d4c0e1';
const DLQ = 'arn:aws:sqs:us-east-1:123456789012:dlq';
const OTHER_DLQ = 'arn:aws:sqs:us-east-1:123456789012:other-dlq';

const context = (overrides: Partial<RequestContext> = {}): RequestContext => ({
  ...resourceContext(),
  deadlineAt: Date.now() + 600_000,
  ...overrides,
});

// The bus's own tags, which prove it ours before it is changed or deleted.
const ourBusTags = () =>
  events.on(ListTagsForResourceCommand).resolves({
    Tags: [
      { Key: 'github-event-bus:stack-id', Value: STACK_ID },
      { Key: 'github-event-bus:logical-id', Value: 'Bus' },
    ],
  });

const props = (extra: Record<string, unknown> = {}) => parseProperties({ EventBusName: NAME, ...extra });

const ourDiscoverer = () => ({
  DiscovererId: DISCOVERER_ID,
  DiscovererArn: `arn:aws:schemas:us-east-1:123456789012:discoverer/${DISCOVERER_ID}`,
  SourceArn: BUS_ARN,
  State: 'STARTED' as const,
  Description: `Schema discoverer for events on ${NAME} event bus`,
  CrossAccount: true,
  Tags: {
    'github-event-bus:stack-id': STACK_ID,
    'github-event-bus:logical-id': 'Bus',
    'github-event-bus:bus-owned': 'true',
  },
});

const accessDenied = () => Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });

const hasRules = () =>
  Object.assign(new Error("EventBus can't be deleted since it has rules."), { name: 'ValidationException' });

/** Runs every wait at once, recording how long each would have been (timers of 100 ms or more). */
const skipWaits = (): number[] => {
  const waits: number[] = [];
  const realSetTimeout = setTimeout;
  jest.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: () => void, ms?: number) => {
    if ((ms ?? 0) >= 100) waits.push(ms ?? 0);
    return realSetTimeout(callback, 0);
  }) as typeof setTimeout);
  return waits;
};

beforeEach(() => {
  events.reset();
  schemas.reset();
  captureLogs();
});

describe('the bus settings on Update', () => {
  it.each([
    [
      'only the description',
      { Description: 'old', DeadLetterConfig: { Arn: DLQ } },
      { Description: 'new', DeadLetterConfig: { Arn: DLQ } },
    ],
    [
      'only the dead-letter queue',
      { Description: 'same', DeadLetterConfig: { Arn: DLQ } },
      { Description: 'same', DeadLetterConfig: { Arn: OTHER_DLQ } },
    ],
  ])('are sent in one UpdateEventBus when %s differs', async (_, now, wanted) => {
    // Prepare
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN, ...now });
    ourBusTags();
    schemas.on(DescribeDiscovererCommand).resolves(ourDiscoverer());

    // Act
    await updateGithubEventBus(NAME, props(wanted), props(now), context());

    // Assess
    expect(events).toHaveReceivedCommandTimes(UpdateEventBusCommand, 1);
    expect(events).toHaveReceivedCommandWith(UpdateEventBusCommand, { Name: NAME, ...wanted });
  });

  it('are not sent when the bus already has the description and dead-letter queue', async () => {
    // Prepare
    const settings = { Description: 'same', DeadLetterConfig: { Arn: DLQ } };
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN, ...settings });
    schemas.on(DescribeDiscovererCommand).resolves(ourDiscoverer());

    // Act
    await updateGithubEventBus(NAME, props(settings), props(settings), context());

    // Assess
    expect(events).not.toHaveReceivedCommand(UpdateEventBusCommand);
  });
});

describe('a Delete whose bus still has the discoverer rule', () => {
  beforeEach(() => {
    schemas.on(DescribeDiscovererCommand).resolves(ourDiscoverer());
    ourBusTags();
    events.on(ListRulesCommand).resolves({ Rules: [{ Name: `Schemas-events-event-bus-${NAME}` }] });
  });

  const refusedTimes = (count: number) => {
    let mock = events.on(DeleteEventBusCommand);
    for (let i = 0; i < count; i++) mock = mock.rejectsOnce(hasRules());
    mock.resolves({});
  };

  it('tries again about once a second, not backing off, so it ends close to the rule going', async () => {
    // Prepare
    const waits = skipWaits();
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    refusedTimes(6);

    // Act
    await deleteGithubEventBus(NAME, context());

    // Assess
    expect(waits).toEqual([1_000, 1_000, 1_000, 1_000, 1_000, 1_000]);
    expect(events).toHaveReceivedCommandTimes(DeleteEventBusCommand, 7);
  });

  it.each([
    [0, 800],
    [0.999, 1_199.6],
  ])('jitters each wait by up to a fifth either way (random %d: first wait %d ms)', async (random, first) => {
    // Prepare
    const waits = skipWaits();
    jest.spyOn(Math, 'random').mockReturnValue(random);
    refusedTimes(1);

    // Act
    await deleteGithubEventBus(NAME, context());

    // Assess
    expect(waits).toEqual([first]);
  });

  it('leaves no listener on the request’s signal, however often it waits', async () => {
    // Prepare: more waits than a signal takes listeners before Node warns of a leak (10)
    skipWaits();
    refusedTimes(15);
    const request = new AbortController();

    // Act
    await deleteGithubEventBus(NAME, context({ signal: request.signal }));

    // Assess
    expect(events).toHaveReceivedCommandTimes(DeleteEventBusCommand, 16);
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(0);
  });

  it("lists the bus's rules once, however often it waits", async () => {
    // Prepare
    skipWaits();
    refusedTimes(3);

    // Act
    await deleteGithubEventBus(NAME, context());

    // Assess
    expect(events).toHaveReceivedCommandTimes(ListRulesCommand, 1);
    expect(events).toHaveReceivedCommandWith(ListRulesCommand, { EventBusName: NAME });
  });

  it('stops waiting at once when the request is abandoned, naming the rule', async () => {
    // Prepare
    const waits = skipWaits();
    refusedTimes(100);
    const abandoned = new AbortController();
    abandoned.abort();

    // Act
    const attempt = deleteGithubEventBus(NAME, context({ signal: abandoned.signal }));

    // Assess
    await expect(attempt).rejects.toThrow(BusHasRulesError);
    await expect(attempt).rejects.toThrow(`Schemas-events-event-bus-${NAME}`);
    expect(waits).toEqual([]);
  });

  it('does not start a wait that would end after the deadline', async () => {
    // Prepare
    const waits = skipWaits();
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    refusedTimes(100);

    // Act
    const attempt = deleteGithubEventBus(NAME, context({ deadlineAt: Date.now() + 900 }));

    // Assess
    await expect(attempt).rejects.toThrow(BusHasRulesError);
    expect(waits).toEqual([]);
  });
});

describe('a Delete whose bus still has the discoverer rule, abandoned during a wait', () => {
  it('stops waiting as soon as the request is abandoned, not at the end of the wait', async () => {
    // Prepare
    schemas.on(DescribeDiscovererCommand).resolves(ourDiscoverer());
    ourBusTags();
    events.on(ListRulesCommand).resolves({ Rules: [{ Name: `Schemas-events-event-bus-${NAME}` }] });
    events.on(DeleteEventBusCommand).rejects(hasRules());
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const abandoned = new AbortController();
    const started = Date.now();
    setTimeout(() => abandoned.abort(), 50);

    // Act
    const attempt = deleteGithubEventBus(NAME, context({ signal: abandoned.signal }));

    // Assess: the wait would have been a second.
    await expect(attempt).rejects.toThrow(BusHasRulesError);
    expect(Date.now() - started).toBeLessThan(700);
  });
});

describe('errors that do not mean "gone" or "has rules"', () => {
  it('fail a Delete refused by DeleteEventBus at once, with that refusal, without waiting or listing rules', async () => {
    // Prepare
    const waits = skipWaits();
    schemas.on(DescribeDiscovererCommand).resolves(ourDiscoverer());
    ourBusTags();
    events.on(DeleteEventBusCommand).rejects(accessDenied());

    // Act
    const attempt = deleteGithubEventBus(NAME, context());

    // Assess
    await expect(attempt).rejects.toThrow('not authorized');
    expect(events).toHaveReceivedCommandTimes(DeleteEventBusCommand, 1);
    expect(events).not.toHaveReceivedCommand(ListRulesCommand);
    expect(waits).toEqual([]);
  });

  it('fail a Delete whose read of the bus tags is refused, deleting nothing', async () => {
    // Prepare
    schemas.on(DescribeDiscovererCommand).resolves(ourDiscoverer());
    events.on(ListTagsForResourceCommand).rejects(accessDenied());

    // Act & Assess
    await expect(deleteGithubEventBus(NAME, context())).rejects.toThrow('not authorized');
    expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
  });

  it('fail an Update whose read of the bus is refused, rather than creating the bus again', async () => {
    // Prepare
    events.on(DescribeEventBusCommand).rejects(accessDenied());
    schemas.on(DescribeDiscovererCommand).resolves(ourDiscoverer());

    // Act & Assess
    await expect(updateGithubEventBus(NAME, props(), props(), context())).rejects.toThrow('not authorized');
    expect(events).not.toHaveReceivedCommand(CreateEventBusCommand);
    expect(events).toHaveReceivedCommandWith(DescribeEventBusCommand, { Name: NAME });
  });
});

describe('the bus settings, one member at a time', () => {
  it.each([
    ['only IncludeDetail', { IncludeDetail: 'FULL', Level: 'ERROR' }],
    ['only Level', { IncludeDetail: 'NONE', Level: 'INFO' }],
  ])('send UpdateEventBus when %s of the LogConfig differs', async (_, wanted) => {
    // Prepare
    const now = { LogConfig: { IncludeDetail: 'NONE' as const, Level: 'ERROR' as const } };
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN, ...now });
    ourBusTags();
    schemas.on(DescribeDiscovererCommand).resolves(ourDiscoverer());

    // Act
    await updateGithubEventBus(NAME, props({ LogConfig: wanted }), props(now), context());

    // Assess
    expect(events).toHaveReceivedCommandWith(UpdateEventBusCommand, { Name: NAME, LogConfig: wanted });
  });

  it('are left alone when only the tags change', async () => {
    // Prepare
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    ourBusTags();
    schemas.on(DescribeDiscovererCommand).resolves(ourDiscoverer());

    // Act
    await updateGithubEventBus(NAME, props({ Tags: [{ Key: 'team', Value: 'ci' }] }), props(), context());

    // Assess
    expect(events).toHaveReceivedCommandWith(TagResourceCommand, { Tags: [{ Key: 'team', Value: 'ci' }] });
    expect(events).not.toHaveReceivedCommand(UpdateEventBusCommand);
  });

  it('include the dead-letter queue in CreateEventBus', async () => {
    // Prepare
    events.on(CreateEventBusCommand).resolves({ EventBusArn: BUS_ARN });
    schemas.on(CreateDiscovererCommand).resolves(ourDiscoverer());

    // Act
    await createGithubEventBus(props({ DeadLetterConfig: { Arn: DLQ } }), context());

    // Assess
    expect(events).toHaveReceivedCommandWith(CreateEventBusCommand, { Name: NAME, DeadLetterConfig: { Arn: DLQ } });
  });
});
