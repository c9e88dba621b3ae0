import { answerOf, type Harness, leftovers, startHarness } from './harness';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());
beforeEach(() => harness.emulator.reset());

const NAME = 'github-actions-event-bus';
const props = (extra: Record<string, unknown> = {}) => ({ EventBusName: NAME, DiscovererState: 'STOPPED', ...extra });
const PERMANENT = Number.POSITIVE_INFINITY;
const denied = { type: 'error', name: 'AccessDeniedException', status: 403 } as const;

/** The AWS operations, in order, of a clean request, each with its occurrence number (for `nth`). */
const cleanCalls = (): { operation: string; nth: number }[] => {
  const seen = new Map<string, number>();
  return harness.emulator.calls.map(({ operation }) => {
    const nth = (seen.get(operation) ?? 0) + 1;
    seen.set(operation, nth);
    return { operation, nth };
  });
};

describe('fault sweep', () => {
  it('leaves nothing behind when any call of a Create fails for good and CloudFormation rolls back', async () => {
    // Prepare
    await harness.create(props());
    const calls = cleanCalls();
    expect(calls.length).toBeGreaterThanOrEqual(2);
    const outcomes: string[] = [];
    for (const { operation, nth } of calls) {
      harness.emulator.reset();
      harness.emulator.inject({ operation, nth, times: PERMANENT, action: denied });
      // Act
      const failed = answerOf(await harness.create(props()));
      harness.emulator.clearFaults();
      const rollback = answerOf(await harness.delete(failed.PhysicalResourceId, props()));
      // Assess (collected, so one run names every call that leaks)
      outcomes.push(
        `${operation}#${nth}: ${failed.Status} then ${rollback.Status}, left ${leftovers(harness.emulator)}`,
      );
    }
    expect(outcomes).toEqual(calls.map(({ operation, nth }) => `${operation}#${nth}: FAILED then SUCCESS, left `));
  });

  it('leaves only the original when any call of a replacement fails for good and is rolled back', async () => {
    // Prepare
    const renamed = props({ EventBusName: `${NAME}-renamed` });
    await harness.create(props());
    harness.emulator.calls.length = 0;
    await harness.update(NAME, renamed, props());
    const calls = cleanCalls();
    const outcomes: string[] = [];
    for (const { operation, nth } of calls) {
      harness.emulator.reset();
      await harness.create(props());
      harness.emulator.calls.length = 0;
      harness.emulator.inject({ operation, nth, times: PERMANENT, action: denied });
      // Act
      const failed = answerOf(await harness.update(NAME, renamed, props()));
      harness.emulator.clearFaults();
      const rollback = answerOf(await harness.update(failed.PhysicalResourceId, props(), renamed));
      // Assess
      outcomes.push(
        `${operation}#${nth}: ${failed.Status} then ${rollback.Status}, left ${leftovers(harness.emulator)}`,
      );
    }
    const original = `bus ${NAME},discoverer events-event-bus-${NAME}`;
    expect(outcomes).toEqual(
      calls.map(({ operation, nth }) => `${operation}#${nth}: FAILED then SUCCESS, left ${original}`),
    );
  });
});

describe('lost answers, throttling and hung calls', () => {
  it.each(['CreateEventBus', 'CreateDiscoverer', 'StopDiscoverer'])(
    'converges when %s takes effect but its answer is lost',
    async (operation) => {
      // Prepare
      harness.emulator.inject({ operation, action: { type: 'drop' } });
      // Act
      const answer = answerOf(await harness.create(props()));
      // Assess
      expect(answer).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: NAME });
      expect(leftovers(harness.emulator)).toHaveLength(2);
    },
  );

  it.each(['DescribeDiscoverer', 'DeleteDiscoverer', 'DeleteEventBus'])(
    'deletes everything when %s takes effect but its answer is lost',
    async (operation) => {
      // Prepare
      await harness.create(props());
      harness.emulator.inject({ operation, action: { type: 'drop' } });
      // Act
      const answer = answerOf(await harness.delete(NAME, props()));
      // Assess
      expect(answer.Status).toBe('SUCCESS');
      expect(leftovers(harness.emulator)).toEqual([]);
    },
  );

  it('rides out a throttling storm on every call', async () => {
    // Prepare: every operation is throttled three times before it goes through.
    for (const operation of ['CreateEventBus', 'CreateDiscoverer', 'StopDiscoverer']) {
      harness.emulator.inject({ operation, times: 3, action: { type: 'throttle' } });
    }
    // Act
    const answer = answerOf(await harness.create(props()));
    // Assess
    expect(answer.Status).toBe('SUCCESS');
    expect(harness.emulator.calls.filter((call) => call.fault === 'throttle')).toHaveLength(9);
  });

  it('abandons a hung call and retries it', async () => {
    // Prepare
    harness.emulator.inject({ operation: 'CreateDiscoverer', action: { type: 'hang' } });
    // Act
    const answer = answerOf(await harness.create(props()));
    // Assess
    expect(answer.Status).toBe('SUCCESS');
    expect(harness.emulator.calls.filter((call) => call.operation === 'CreateDiscoverer')).toHaveLength(2);
  });

  it('answers FAILED in time when a call hangs past the deadline', async () => {
    // Prepare
    harness.emulator.inject({ operation: 'CreateEventBus', times: PERMANENT, action: { type: 'hang' } });
    // Act
    const invocation = await harness.create(props(), 2_500);
    // Assess
    const answer = answerOf(invocation);
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toMatch(/did not finish/);
    expect(invocation.ms).toBeLessThan(2_500);
  });

  it('waits out the discoverer rule that outlives it, then deletes the bus', async () => {
    // Prepare
    await harness.create(props());
    harness.emulator.setRuleLinger(1_500);
    // Act
    const invocation = await harness.delete(NAME, props());
    harness.emulator.setRuleLinger(0);
    // Assess
    expect(answerOf(invocation).Status).toBe('SUCCESS');
    expect(invocation.awsCalls.filter((operation) => operation === 'DeleteEventBus').length).toBeGreaterThan(1);
    expect(leftovers(harness.emulator)).toEqual([]);
  });
});
