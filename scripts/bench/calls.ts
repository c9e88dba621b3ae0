import { startEmulator } from '../emulator';
import type { Invocation } from '../lib/local-cloudformation';
import { type BenchRequest, create, type EventContext, type Properties, playAgainst, remove } from './harness';
import { median, ratio } from './stats';

export type EventSpec = {
  key: string;
  title: string;
  /** The fewest calls that still leave the resource idempotent, owner-checked and drift-healing (docs/bench.md). */
  floor: number;
  /** The ceiling where it set one; otherwise the floor itself. */
  target: number;
  targetFrom: 'issue' | 'floor';
  /** Requests that bring the account to where the event starts; not measured. */
  setup(context: EventContext): BenchRequest[];
  measured(context: EventContext): BenchRequest;
  /** The PhysicalResourceId the measured request must answer with. */
  expectedId(context: EventContext): string;
};

const update = (context: EventContext, changes: Properties): BenchRequest => ({
  requestType: 'Update',
  logicalId: context.logicalId,
  properties: { ...context.properties, ...changes },
  physicalResourceId: context.name,
  oldProperties: context.properties,
});

const sameId = (context: EventContext): string => context.name;

export const EVENTS: readonly EventSpec[] = [
  {
    key: 'create',
    title: 'Create',
    floor: 2,
    target: 3,
    targetFrom: 'issue',
    setup: () => [],
    measured: create,
    expectedId: sameId,
  },
  {
    key: 'update-nothing',
    title: 'Update, nothing changed',
    floor: 2,
    target: 2,
    targetFrom: 'issue',
    setup: (context) => [create(context)],
    measured: (context) => update(context, {}),
    expectedId: sameId,
  },
  {
    key: 'update-state',
    title: 'Update DiscovererState',
    floor: 3,
    target: 3,
    targetFrom: 'issue',
    setup: (context) => [create(context)],
    measured: (context) => update(context, { DiscovererState: 'STOPPED' }),
    expectedId: sameId,
  },
  {
    // One tag changed, one added, one removed: every resource needs a Tag and an Untag, the most a Tags update
    // can cost (2 reads + the bus's tags, which prove it ours before it changes + 2 resources x (Untag + Tag)).
    key: 'update-tags',
    title: 'Update Tags',
    floor: 7,
    target: 7,
    targetFrom: 'floor',
    setup: (context) => [create(context)],
    measured: (context) =>
      update(context, {
        Tags: [
          { Key: 'app', Value: 'bench-changed' },
          { Key: 'added', Value: 'yes' },
        ],
      }),
    expectedId: sameId,
  },
  {
    // 2 reads + the bus's tags, which prove it ours before it changes + UpdateEventBus.
    key: 'update-description',
    title: 'Update Description',
    floor: 4,
    target: 4,
    targetFrom: 'floor',
    setup: (context) => [create(context)],
    measured: (context) => update(context, { Description: 'Benchmark bus, described anew' }),
    expectedId: sameId,
  },
  {
    key: 'rename',
    title: 'Update EventBusName (replacement)',
    floor: 2,
    target: 2,
    targetFrom: 'floor',
    setup: (context) => [create(context)],
    measured: (context) => update(context, { EventBusName: `${context.name}-renamed` }),
    expectedId: (context) => `${context.name}-renamed`,
  },
  {
    // Each resource proven ours by its own tags before it is deleted (two reads, side by side), then two deletes:
    // three round trips, as before the bus's tags were read.
    key: 'delete',
    title: 'Delete',
    floor: 4,
    target: 4,
    targetFrom: 'issue',
    setup: (context) => [create(context)],
    measured: remove,
    expectedId: sameId,
  },
];

export type CallInterval = { operation: string; start: number; end: number };

/** Each call's start and end, from the handler's `aws call` lines (logged at the end, with the call's duration). */
export const callIntervals = (invocation: Invocation): CallInterval[] =>
  invocation.logs
    .filter((line) => line.message === 'aws call')
    .map((line) => {
      const end = Date.parse(String(line.timestamp));
      return { operation: String(line.operation), start: end - Number(line.ms), end };
    });

/**
 * Each call's round: 1 + the deepest round that ended before it started (a call that overlaps another ran beside
 * it). The timestamp and the duration are read from two clocks a millisecond apart at most, hence the slack.
 */
export const callRounds = (intervals: readonly CallInterval[]): number[] => {
  const order = intervals
    .map((_, index) => index)
    .sort((a, b) => (intervals[a]?.start ?? 0) - (intervals[b]?.start ?? 0));
  const rounds = new Array<number>(intervals.length).fill(1);
  for (const [position, i] of order.entries()) {
    const call = intervals[i] as CallInterval;
    for (const j of order.slice(0, position)) {
      const before = intervals[j] as CallInterval;
      if (before.end - 1 <= call.start) rounds[i] = Math.max(rounds[i] ?? 1, (rounds[j] ?? 1) + 1);
    }
  }
  return rounds;
};

/** "A + B -> C": calls of one round joined by +, rounds in order. */
export const describeCalls = (intervals: readonly CallInterval[], rounds: readonly number[]): string => {
  const byRound = new Map<number, string[]>();
  intervals.forEach((call, index) => {
    const round = rounds[index] ?? 1;
    byRound.set(round, [...(byRound.get(round) ?? []), call.operation]);
  });
  return [...byRound.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, operations]) => operations.sort().join(' + '))
    .join(' -> ');
};

export type EventResult = {
  key: string;
  title: string;
  /** The calls of the first run, in the order they completed. */
  calls: string[];
  /** The same calls grouped into rounds ("A + B -> C"); only meaningful with a latency. */
  callsByRound: string;
  count: number;
  floor: number;
  target: number;
  targetFrom: 'issue' | 'floor';
  meetsTarget: boolean;
  /** Sequential rounds of calls (parallel calls share one); 0 without latency, where it cannot be told. */
  rounds: number;
  wallMs: number;
  wallRunsMs: number[];
  /** count x latency: what the calls would take one after another. */
  callsLatencyMs: number;
  wallPerCallsLatency: number | null;
  wallPerRoundsLatency: number | null;
  /** Wrong answers, differing calls between runs: anything that makes the count untrustworthy. */
  problems: string[];
};

export type CallsReport = {
  latencyMs: number;
  runs: number;
  /** wall / (calls x latency) at most this: no sleeps and no hidden calls on the happy path. */
  timeTarget: number;
  events: EventResult[];
  ok: boolean;
};

export const TIME_TARGET = 1.1;

export type CallsOptions = { latencyMs: number; runs: number; bundlePath?: string };

export const answerProblems = (invocation: Invocation, expectedId: string): string[] => {
  const [answer, ...extra] = invocation.answers;
  if (!answer) return ['no answer'];
  const problems = extra.length > 0 ? [`${invocation.answers.length} answers`] : [];
  if (answer.Status !== 'SUCCESS') problems.push(`${answer.Status}: ${answer.Reason}`);
  if (answer.PhysicalResourceId !== expectedId) problems.push(`answered id ${answer.PhysicalResourceId}`);
  return problems;
};

const sortedKey = (calls: readonly string[]): string => [...calls].sort().join(',');

/**
 * Every lifecycle event, `runs` times each, through the built bundle against the emulator with `latencyMs` on
 * every call (setup calls get none: they are not measured and need not cost time).
 */
export const measureCalls = async ({ latencyMs, runs, bundlePath }: CallsOptions): Promise<CallsReport> => {
  const emulator = await startEmulator({ latencyMs: 0, ruleLingerMs: 0 });
  try {
    return await playAgainst(emulator, bundlePath, async ({ send, contextFor: keyed }) => {
      const contextFor = (key: string, run: number): EventContext => keyed(`${key}-${run}`);
      const events: EventResult[] = [];
      for (const spec of EVENTS) {
        const invocations: Invocation[] = [];
        const problems: string[] = [];
        for (let run = 0; run < runs; run++) {
          emulator.reset();
          const context = contextFor(spec.key, run);
          emulator.setLatency(0);
          for (const request of spec.setup(context)) {
            const setup = await send(request);
            problems.push(...answerProblems(setup, context.name).map((problem) => `setup: ${problem}`));
          }
          emulator.setLatency(latencyMs);
          const invocation = await send(spec.measured(context));
          problems.push(...answerProblems(invocation, spec.expectedId(context)));
          invocations.push(invocation);
        }
        const first = invocations[0] as Invocation;
        if (invocations.some((invocation) => sortedKey(invocation.awsCalls) !== sortedKey(first.awsCalls))) {
          problems.push(`calls differ between runs: ${invocations.map((i) => i.awsCalls.join(',')).join(' | ')}`);
        }
        const intervals = callIntervals(first);
        const callRound = callRounds(intervals);
        const rounds = latencyMs > 0 ? Math.max(0, ...callRound) : 0;
        const count = first.awsCalls.length;
        const wallRunsMs = invocations.map((invocation) => invocation.ms);
        const wallMs = median(wallRunsMs);
        events.push({
          key: spec.key,
          title: spec.title,
          calls: first.awsCalls,
          callsByRound: latencyMs > 0 ? describeCalls(intervals, callRound) : first.awsCalls.join(', '),
          count,
          floor: spec.floor,
          target: spec.target,
          targetFrom: spec.targetFrom,
          meetsTarget: problems.length === 0 && count <= spec.target,
          rounds,
          wallMs,
          wallRunsMs,
          callsLatencyMs: count * latencyMs,
          wallPerCallsLatency: ratio(wallMs, count * latencyMs),
          wallPerRoundsLatency: ratio(wallMs, rounds * latencyMs),
          problems: [...new Set(problems)],
        });
      }
      return {
        latencyMs,
        runs,
        timeTarget: TIME_TARGET,
        events,
        ok: events.every((event) => event.meetsTarget),
      };
    });
  } finally {
    await emulator.close();
  }
};
