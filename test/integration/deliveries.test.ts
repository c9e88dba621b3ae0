import { CreateEventBusCommand, DescribeEventBusCommand } from '@aws-sdk/client-eventbridge';
import { CreateDiscovererCommand, StopDiscovererCommand } from '@aws-sdk/client-schemas';
import type { Invocation } from '../../scripts/lib/local-cloudformation';
import { eventBridgeClient, schemasClient } from '../emulator/clients';
import { answerOf, type Harness, LOGICAL_ID, leftovers, startHarness } from './harness';

// What CloudFormation and Lambda really deliver, through the built bundle against the emulator: Deletes with ids
// CloudFormation made up, two copies of one request at once, late copies, refused and lost calls, undos that
// outlast the answer. Each test fails on the handler before issue 19's changes.
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.emulator.reset();
  harness.emulator.setRuleLinger(0);
});

const NAME = 'github-actions-event-bus';
const RENAMED = `${NAME}-renamed`;
const PERMANENT = Number.POSITIVE_INFINITY;
const denied = { type: 'error', name: 'AccessDeniedException', status: 403 } as const;
const props = (extra: Record<string, unknown> = {}) => ({ EventBusName: NAME, ...extra });
const bus = (name: string) => harness.emulator.buses().find((found) => found.name === name);
const discovererOn = (name: string) =>
  harness.emulator.discoverers().find((found) => found.sourceArn.endsWith(`/${name}`));

/** The stack's name, as CloudFormation puts it into the physical ids it makes up. */
const stackName = () => harness.cloudFormation.stackId.split('/')[1] ?? '';

/** A Create's event, to deliver more than once: every copy keeps its RequestId and ResponseURL. */
const createEvent = (properties: Record<string, unknown>): Record<string, unknown> =>
  harness.cloudFormation.request('Create', LOGICAL_ID, properties);

const deliver = (event: Record<string, unknown>): Promise<Invocation> => harness.cloudFormation.invoke(event);

const until = async (condition: () => boolean, timeoutMs = 5_000): Promise<void> => {
  const giveUpAt = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const sentAt = (invocation: Invocation): number =>
  Date.parse(String(invocation.logs.find((line) => line.message === 'response sent')?.timestamp));

describe('1. a Create CloudFormation cancelled, rolled back with an id it made up', () => {
  it('deletes what is ours under the properties’ EventBusName', async () => {
    // Prepare: the Create went through, but its answer never counted (another resource failed meanwhile)
    expect(answerOf(await harness.create(props())).Status).toBe('SUCCESS');
    // Act
    const rollback = answerOf(await harness.delete(`${stackName()}-${LOGICAL_ID}-1XK2ZQ7PLM3NB`, props()));
    // Assess
    expect(rollback.Status).toBe('SUCCESS');
    expect(leftovers(harness.emulator)).toEqual([]);
  });

  it('still leaves a bus of the same name that is not ours', async () => {
    // Prepare: someone else's bus under that name
    await eventBridgeClient(harness.emulator).send(new CreateEventBusCommand({ Name: NAME }));
    // Act
    const rollback = answerOf(await harness.delete(`${stackName()}-${LOGICAL_ID}-1XK2ZQ7PLM3NB`, props()));
    // Assess
    expect(rollback.Status).toBe('SUCCESS');
    expect(leftovers(harness.emulator)).toEqual([`bus ${NAME}`]);
  });

  it('never touches the live bus when the Delete of a replaced bus carries the new properties', async () => {
    // Prepare: a rename went through; the clean-up Delete names the old bus, and (on one reading) the new properties
    await harness.create(props());
    expect(answerOf(await harness.update(NAME, props({ EventBusName: RENAMED }), props())).Status).toBe('SUCCESS');
    // Act: twice, as a late copy would
    await harness.delete(NAME, props({ EventBusName: RENAMED }));
    const copy = answerOf(await harness.delete(NAME, props({ EventBusName: RENAMED })));
    // Assess
    expect(copy.Status).toBe('SUCCESS');
    expect(leftovers(harness.emulator)).toEqual([`bus ${RENAMED}`, `discoverer events-event-bus-${RENAMED}`]);
  });
});

describe('2. two copies of one Create at once', () => {
  it('never lets one copy’s undo take back the discoverer and bus the other answered SUCCESS for', async () => {
    // Prepare: copy A's CreateDiscoverer hangs past A's deadline; copy B arrives meanwhile
    harness.emulator.inject({ operation: 'CreateDiscoverer', nth: 1, action: { type: 'hang' } });
    const event = createEvent(props({ ServiceTimeout: '1' }));
    // Act
    const first = deliver(event);
    await until(() => harness.emulator.calls.some((call) => call.operation === 'CreateDiscoverer'));
    const second = deliver(event);
    const [a, b] = await Promise.all([first, second]);
    // Assess
    expect(b.answers.map((answer) => answer.Status)).toEqual(['SUCCESS']);
    expect(a.answers.map((answer) => answer.Status)).toEqual(['FAILED']);
    expect(leftovers(harness.emulator)).toEqual([`bus ${NAME}`, `discoverer events-event-bus-${NAME}`]);
    expect(a.logs.map((line) => line.message)).toContain(
      'undo: leaving the event bus, which carries a discoverer this invocation did not create',
    );
  });
});

describe('3. a late copy whose first attempts were refused', () => {
  it('never counts what it then found as its own, and so never deletes the live bus and discoverer', async () => {
    // Prepare: the Create answered SUCCESS; discovery was stopped by hand since
    const event = createEvent(props());
    expect((await deliver(event)).answers[0]?.Status).toBe('SUCCESS');
    await schemasClient(harness.emulator).send(new StopDiscovererCommand({ DiscovererId: `events-event-bus-${NAME}` }));
    // The copy's first CreateEventBus and CreateDiscoverer are throttled; starting discovery again is refused
    harness.emulator.inject({ operation: 'CreateEventBus', action: { type: 'throttle' } });
    harness.emulator.inject({ operation: 'CreateDiscoverer', action: { type: 'throttle' } });
    harness.emulator.inject({ operation: 'StartDiscoverer', times: PERMANENT, action: denied });
    // Act
    const copy = await deliver(event);
    // Assess
    expect(copy.answers.map((answer) => answer.Status)).toEqual(['FAILED']);
    expect(leftovers(harness.emulator)).toEqual([`bus ${NAME}`, `discoverer events-event-bus-${NAME}`]);
  });
});

describe('5. a replacement onto an adopted bus, cut short', () => {
  it('takes back the discoverer whose create took effect while in flight, and leaves the adopted bus as found', async () => {
    // Prepare: a bus made by hand, with its own tag; the stack's own bus
    await eventBridgeClient(harness.emulator).send(
      new CreateEventBusCommand({ Name: RENAMED, Tags: [{ Key: 'team', Value: 'platform' }] }),
    );
    await harness.create(props());
    // Every CreateDiscoverer takes effect, and its answer is lost
    harness.emulator.inject({ operation: 'CreateDiscoverer', times: PERMANENT, action: { type: 'drop' } });
    // Act
    const invocation = await harness.update(
      NAME,
      props({ EventBusName: RENAMED, AdoptExisting: 'true', ServiceTimeout: '3' }),
      props(),
    );
    // Assess
    expect(answerOf(invocation).Status).toBe('FAILED');
    expect(discovererOn(RENAMED)).toBeUndefined();
    expect(bus(RENAMED)?.tags).toEqual({ team: 'platform' });
    expect(bus(NAME)).toBeDefined();
  });
});

describe('6. an undo that outlasts the request’s time', () => {
  it('answers before the ServiceTimeout and goes on until the new bus is gone', async () => {
    // Prepare: the discoverer's rule lingers 4 s; stopping discovery on the new bus hangs
    await harness.create(props());
    harness.emulator.setRuleLinger(4_000);
    harness.emulator.inject({ operation: 'StopDiscoverer', times: PERMANENT, action: { type: 'hang' } });
    const started = Date.now();
    // Act: 4 s to answer, the work 2.6 s of it
    const invocation = await harness.update(
      NAME,
      props({ EventBusName: RENAMED, DiscovererState: 'STOPPED', ServiceTimeout: '4' }),
      props(),
    );
    // Assess
    expect(answerOf(invocation).Status).toBe('FAILED');
    expect(sentAt(invocation) - started).toBeLessThan(4_000);
    expect(invocation.logs.map((line) => line.message)).toContain('answered; taking back partial work goes on');
    expect(leftovers(harness.emulator)).toEqual([`bus ${NAME}`, `discoverer events-event-bus-${NAME}`]);
  });
});

describe('8. a lost create answer, then a lookup that fails', () => {
  it('takes back the bus its own first attempt made', async () => {
    // Prepare: CreateEventBus takes effect and its answer is lost; the retry meets "already exists"; the look-up fails
    harness.emulator.inject({ operation: 'CreateEventBus', action: { type: 'drop' } });
    harness.emulator.inject({ operation: 'DescribeEventBus', action: denied });
    // Act
    const answer = answerOf(await harness.create(props()));
    // Assess: gone before the answer, not only after CloudFormation's Delete
    expect(answer.Status).toBe('FAILED');
    expect(leftovers(harness.emulator)).toEqual([]);
  });

  it('takes back the discoverer its own first attempt made, and then the bus', async () => {
    // Prepare: the same for CreateDiscoverer in a replacement, whose name no Delete will ever carry
    await harness.create(props());
    harness.emulator.inject({ operation: 'CreateDiscoverer', action: { type: 'drop' } });
    harness.emulator.inject({ operation: 'DescribeDiscoverer', action: denied });
    // Act
    const answer = answerOf(await harness.update(NAME, props({ EventBusName: RENAMED }), props()));
    // Assess
    expect(answer.Status).toBe('FAILED');
    expect(leftovers(harness.emulator)).toEqual([`bus ${NAME}`, `discoverer events-event-bus-${NAME}`]);
  });
});

describe('9. an Update that drops AdoptExisting', () => {
  it('fails naming AdoptExisting, and leaves the adopted bus’s settings as they were', async () => {
    // Prepare: a bus made by hand, adopted
    await eventBridgeClient(harness.emulator).send(new CreateEventBusCommand({ Name: NAME, Description: 'theirs' }));
    expect(answerOf(await harness.create(props({ AdoptExisting: 'true' }))).Status).toBe('SUCCESS');
    // Act
    const answer = answerOf(
      await harness.update(NAME, props({ Description: 'ours' }), props({ AdoptExisting: 'true' })),
    );
    // Assess
    expect(answer).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('AdoptExisting') });
    const described = await eventBridgeClient(harness.emulator).send(new DescribeEventBusCommand({ Name: NAME }));
    expect(described.Description).toBe('theirs');
  });
});

describe('the smaller findings', () => {
  it('creates within a ServiceTimeout of 1 s: the work gets its share of a tiny budget', async () => {
    // Act
    const answer = answerOf(await harness.create(props({ ServiceTimeout: '1' })));
    // Assess
    expect(answer.Status).toBe('SUCCESS');
  });

  it('counts a discoverer made by an earlier version (no creator’s mark) as ours, but never as this invocation’s', async () => {
    // Prepare: bus and discoverer with the ownership tags only, as versions before the mark made them
    const owner = {
      'github-event-bus:stack-id': harness.cloudFormation.stackId,
      'github-event-bus:logical-id': LOGICAL_ID,
    };
    const made = await eventBridgeClient(harness.emulator).send(
      new CreateEventBusCommand({ Name: NAME, Tags: Object.entries(owner).map(([Key, Value]) => ({ Key, Value })) }),
    );
    await schemasClient(harness.emulator).send(
      new CreateDiscovererCommand({
        SourceArn: made.EventBusArn,
        Tags: { ...owner, 'github-event-bus:bus-owned': 'true' },
      }),
    );
    harness.emulator.inject({ operation: 'StopDiscoverer', times: PERMANENT, action: denied });
    // Act: a Create over it that fails
    const failed = answerOf(await harness.create(props({ DiscovererState: 'STOPPED' })));
    const afterFailure = leftovers(harness.emulator);
    const removed = answerOf(await harness.delete(NAME, props()));
    // Assess: the failed Create left them; the Delete, whose resource they are, removed them
    expect(failed.Status).toBe('FAILED');
    expect(afterFailure).toEqual([`bus ${NAME}`, `discoverer events-event-bus-${NAME}`]);
    expect(removed.Status).toBe('SUCCESS');
    expect(leftovers(harness.emulator)).toEqual([]);
  });
});
