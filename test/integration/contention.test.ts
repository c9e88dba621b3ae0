import { CreateEventBusCommand } from '@aws-sdk/client-eventbridge';
import { TagResourceCommand } from '@aws-sdk/client-schemas';
import { eventBridgeClient, schemasClient } from '../emulator/clients';
import { answerOf, type Harness, LOGICAL_ID, leftovers, startHarness } from './harness';

// Time limits, lost answers and odd sequences, through the built bundle against the emulator.
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());
beforeEach(() => harness.emulator.reset());

const NAME = 'github-actions-event-bus';
const RENAMED = `${NAME}-renamed`;
const PERMANENT = Number.POSITIVE_INFINITY;
const denied = { type: 'error', name: 'AccessDeniedException', status: 403 } as const;
const props = (extra: Record<string, unknown> = {}) => ({ EventBusName: NAME, DiscovererState: 'STOPPED', ...extra });

/** The AWS operations, in order, of the calls made since `since`, each with its occurrence number (for `nth`). */
const callsSince = (since: number): { operation: string; nth: number }[] => {
  const seen = new Map<string, number>();
  return harness.emulator.calls.slice(since).map(({ operation }) => {
    const nth = (seen.get(operation) ?? 0) + 1;
    seen.set(operation, nth);
    return { operation, nth };
  });
};

const original = [`bus ${NAME}`, `discoverer events-event-bus-${NAME}`];

describe('ServiceTimeout', () => {
  it('answers FAILED before a ServiceTimeout shorter than the Lambda’s time, having undone its work', async () => {
    // Prepare
    harness.emulator.inject({ operation: 'CreateDiscoverer', times: PERMANENT, action: { type: 'hang' } });
    // Act: the Lambda has 300 s, CloudFormation waits 6
    const invocation = await harness.create(props({ ServiceTimeout: '6' }));
    const answer = answerOf(invocation);
    const leftBeforeRollback = leftovers(harness.emulator);
    harness.emulator.clearFaults();
    const rollback = answerOf(await harness.delete(answer.PhysicalResourceId, props({ ServiceTimeout: '6' })));
    // Assess
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toMatch(/ServiceTimeout/);
    expect(invocation.ms).toBeLessThan(6_000);
    expect(leftBeforeRollback).toEqual([]);
    expect(rollback.Status).toBe('SUCCESS');
    expect(leftovers(harness.emulator)).toEqual([]);
  });
});

describe('a replacement that fails or runs out of time', () => {
  it('takes back the new bus and discoverer before answering, whichever call hangs or fails', async () => {
    // Prepare: the calls of a clean rename
    await harness.create(props());
    const before = harness.emulator.calls.length;
    await harness.update(NAME, props({ EventBusName: RENAMED }), props());
    const calls = callsSince(before);
    const outcomes: string[] = [];
    for (const { operation, nth } of calls) {
      for (const action of [{ type: 'hang' } as const, denied]) {
        harness.emulator.reset();
        await harness.create(props());
        harness.emulator.inject({ operation, nth, times: PERMANENT, action });
        // Act
        const invocation = await harness.update(NAME, props({ EventBusName: RENAMED, ServiceTimeout: '5' }), props());
        const answer = answerOf(invocation);
        // Assess (collected, so one run names every case that leaks)
        outcomes.push(
          `${operation}#${nth} ${action.type}: ${answer.Status} ${answer.PhysicalResourceId}, in time ${invocation.ms < 5_000}, left ${leftovers(harness.emulator)}`,
        );
      }
    }
    expect(outcomes).toEqual(
      calls.flatMap(({ operation, nth }) =>
        ['hang', 'error'].map((type) => `${operation}#${nth} ${type}: FAILED ${NAME}, in time true, left ${original}`),
      ),
    );
  });

  it('takes back a discoverer its own lost-answer attempt made, within seconds', async () => {
    // Prepare: CreateDiscoverer takes effect but its answer is lost (the SDK's retry meets ConflictException),
    // then stopping discovery is refused
    await harness.create(props());
    harness.emulator.inject({ operation: 'CreateDiscoverer', action: { type: 'drop' } });
    harness.emulator.inject({ operation: 'StopDiscoverer', times: PERMANENT, action: denied });
    // Act
    const invocation = await harness.update(NAME, props({ EventBusName: RENAMED }), props());
    // Assess
    expect(answerOf(invocation)).toMatchObject({ Status: 'FAILED', PhysicalResourceId: NAME });
    expect(leftovers(harness.emulator)).toEqual(original);
    expect(invocation.ms).toBeLessThan(5_000);
  });

  it('takes back a bus its own lost-answer attempt made', async () => {
    // Prepare
    await harness.create(props());
    harness.emulator.inject({ operation: 'CreateEventBus', action: { type: 'drop' } });
    harness.emulator.inject({ operation: 'CreateDiscoverer', times: PERMANENT, action: denied });
    // Act
    const invocation = await harness.update(NAME, props({ EventBusName: RENAMED }), props());
    // Assess
    expect(answerOf(invocation)).toMatchObject({ Status: 'FAILED', PhysicalResourceId: NAME });
    expect(leftovers(harness.emulator)).toEqual(original);
  });
});

describe('a late duplicate of a successful Create', () => {
  it('leaves the bus and discoverer in place, whichever of its calls fails', async () => {
    // Prepare: the calls a duplicate makes
    await harness.create(props());
    const before = harness.emulator.calls.length;
    await harness.create(props());
    const calls = callsSince(before);
    const outcomes: string[] = [];
    for (const { operation, nth } of calls) {
      harness.emulator.reset();
      await harness.create(props());
      harness.emulator.inject({ operation, nth, times: PERMANENT, action: denied });
      // Act
      const answer = answerOf(await harness.create(props()));
      harness.emulator.clearFaults();
      // Assess
      outcomes.push(`${operation}#${nth}: ${answer.Status}, left ${leftovers(harness.emulator)}`);
    }
    expect(outcomes).toEqual(calls.map(({ operation, nth }) => `${operation}#${nth}: FAILED, left ${original}`));
  });
});

describe('ownership of the bus is proven by the bus’s own tags', () => {
  /** Our bus, adopted from someone else, and our discoverer on it claiming (falsely) that the bus is ours. */
  const staleClaim = async () => {
    await eventBridgeClient(harness.emulator).send(
      new CreateEventBusCommand({ Name: NAME, Description: 'theirs', Tags: [{ Key: 'owner', Value: 'them' }] }),
    );
    await harness.create(props({ AdoptExisting: 'true' }));
    const discoverer = harness.emulator.discoverers()[0];
    await schemasClient(harness.emulator).send(
      new TagResourceCommand({ ResourceArn: discoverer?.arn, Tags: { 'github-event-bus:bus-owned': 'true' } }),
    );
  };

  it('never changes a bus that is not ours, whatever our discoverer claims', async () => {
    // Prepare
    await staleClaim();
    // Act
    const answer = answerOf(
      await harness.update(NAME, props({ Description: 'ours', Tags: [{ Key: 'a', Value: '1' }] }), props()),
    );
    // Assess
    expect(answer.Status).toBe('FAILED');
    const [bus] = harness.emulator.buses();
    expect(bus).toMatchObject({ description: 'theirs', tags: { owner: 'them' } });
  });

  it('never deletes a bus that is not ours, whatever our discoverer claims', async () => {
    // Prepare
    await staleClaim();
    // Act
    const answer = answerOf(await harness.delete(NAME, props()));
    // Assess
    expect(answer.Status).toBe('SUCCESS');
    expect(leftovers(harness.emulator)).toEqual([`bus ${NAME}`]);
  });
});

describe('updates with untrusted or empty values', () => {
  it('diffs the bus tags from the bus itself when the old properties do not parse', async () => {
    // Prepare
    await harness.create(props({ Tags: [{ Key: 'team', Value: 'a' }] }));
    // Act: a rollback may send old properties that fail validation
    const answer = answerOf(
      await harness.cloudFormation.send('Update', LOGICAL_ID, props({ Tags: [{ Key: 'team', Value: 'b' }] }), {
        physicalResourceId: NAME,
        oldProperties: { EventBusName: 42 },
      }),
    );
    // Assess: bus and discoverer agree
    expect(answer.Status).toBe('SUCCESS');
    expect(harness.emulator.buses()[0]?.tags.team).toBe('b');
    expect(harness.emulator.discoverers()[0]?.tags.team).toBe('b');
  });

  it('makes only the two reads for an unchanged Update with empty descriptions', async () => {
    // Prepare
    const empty = props({ Description: '', DiscovererDescription: '' });
    await harness.create(empty);
    // Act
    const invocation = await harness.update(NAME, empty, empty);
    // Assess
    expect(answerOf(invocation).Status).toBe('SUCCESS');
    expect([...invocation.awsCalls].sort()).toEqual(['DescribeDiscoverer', 'DescribeEventBus']);
  });
});

describe('contention', () => {
  it('answers SUCCESS to every one of a storm of Creates, then of Deletes, at a few calls a second', async () => {
    // Prepare: six stacks at once against an endpoint that takes four calls a second
    harness.emulator.setRateLimit({ callsPerSecond: 4, burst: 4 });
    const stacks = Array.from({ length: 6 }, (_, index) => ({ logicalId: `Bus${index}`, name: `storm-${index}` }));
    try {
      // Act
      const created = await Promise.all(
        stacks.map(({ logicalId, name }) => harness.cloudFormation.send('Create', logicalId, { EventBusName: name })),
      );
      const deleted = await Promise.all(
        stacks.map(({ logicalId, name }) =>
          harness.cloudFormation.send('Delete', logicalId, { EventBusName: name }, { physicalResourceId: name }),
        ),
      );
      // Assess
      expect(created.map((invocation) => answerOf(invocation).Status)).toEqual(stacks.map(() => 'SUCCESS'));
      expect(deleted.map((invocation) => answerOf(invocation).Status)).toEqual(stacks.map(() => 'SUCCESS'));
      expect(harness.emulator.calls.some((call) => call.rateLimited)).toBe(true);
      expect(leftovers(harness.emulator)).toEqual([]);
    } finally {
      harness.emulator.setRateLimit(undefined);
    }
  });

  it('renames a tag at the 50-tag limit without ever holding 51', async () => {
    // Prepare: 46 user tags (the most), so the discoverer holds 50 (with its creator's mark) and the bus 49
    const tags = Array.from({ length: 46 }, (_, index) => ({ Key: `k${index}`, Value: 'v' }));
    const renamed = [...tags.slice(1), { Key: 'k-new', Value: 'v' }];
    await harness.create(props({ Tags: tags }));
    // Act
    const answer = answerOf(await harness.update(NAME, props({ Tags: renamed }), props({ Tags: tags })));
    // Assess
    expect(answer.Status).toBe('SUCCESS');
    expect(Object.keys(harness.emulator.discoverers()[0]?.tags ?? {})).toHaveLength(50);
    expect(harness.emulator.buses()[0]?.tags).toMatchObject({ 'k-new': 'v' });
    expect(harness.emulator.buses()[0]?.tags).not.toHaveProperty('k0');
  });
});
