import type { HistoryOptions } from '../../scripts/lib/histories/history';
import {
  KNOWN_BUG_HISTORIES,
  KNOWN_BUG_NAMES,
  type KnownBug,
  parseKnownBugs,
} from '../../scripts/lib/histories/known-bugs';
import { type PlayedHistory, playSteps, runHistories } from '../../scripts/lib/histories/run';
import { startWorld, type World } from '../../scripts/lib/histories/world';
import { loadHandler } from '../../scripts/lib/load-handler';
import type { Invocation } from '../../scripts/lib/local-cloudformation';
import { registerSignature, scanForSignatures } from '../support/signature-guard';

// Random CloudFormation histories against the handler and the emulator, checked by invariants (docs/testing.md,
// "Random histories"). A fixed seed, so the sample is the same on every run; `npm run soak` runs many more.
//
// The known bugs of today's handler (scripts/lib/histories/known-bugs.ts) are left out of the sample and each
// shown by a history of its own, expected to break its invariants (it.failing). Once a fix lands, name its bug
// in FIXED: the sample then holds its triggers, and its history must keep every invariant. To try a fix first:
// GITHUB_EVENT_BUS_HISTORY_BUGS=cancelled-create,clock-skew (or "all") npx jest test/property/histories.test.ts
const FIXED: KnownBug[] = [
  'cancelled-create',
  'concurrent-duplicates',
  'retried-create-call',
  'clock-skew',
  'rule-linger-on-undo',
  'lost-create-answer-then-failure',
  'dropped-adopt',
  'duplicate-of-failed-replacement',
  'cut-short-discoverer-on-adopted-bus',
  'adopted-other-stacks-bus',
];

const SEED = 26;
const HISTORIES = 30;
const OPTIONS: Omit<HistoryOptions, 'knownBugs'> = { lambdaTimeoutMs: 3_000, maxSteps: 12 };
// A hung AWS call is abandoned after this long (5 s in Lambda), so that histories with hangs take seconds.
const REQUEST_TIMEOUT_MS = 250;

const fixed = new Set<KnownBug>([...FIXED, ...parseKnownBugs(process.env.GITHUB_EVENT_BUS_HISTORY_BUGS)]);

const signatureOf = (invocation: Invocation): string =>
  new URL(String(invocation.event.ResponseURL)).searchParams.get('X-Amz-Signature') ?? '';

let world: World;

beforeAll(async () => {
  world = await startWorld(await loadHandler(), {
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    onInvocation: (invocation) => {
      registerSignature(signatureOf(invocation));
      scanForSignatures(invocation.output);
    },
  });
});
afterAll(() => world.close());

/** What broke, with the transcript to read it by; empty when nothing did. */
const problems = (history: PlayedHistory, name: string): string[] =>
  history.violations.length === 0 && !history.error
    ? []
    : [
        [
          `${name}:`,
          ...history.violations.map((violation) => `  ${violation.invariant}: ${violation.message}`),
          ...(history.error ? [`  the run itself failed: ${history.error}`] : []),
          ...history.transcript.map((line) => `    ${line}`),
        ].join('\n'),
      ];

describe('random histories', () => {
  it('keep every invariant over a fixed-seed sample that covers what CloudFormation and AWS do', async () => {
    // Act
    const results = await runHistories(world, { ...OPTIONS, knownBugs: fixed, seed: SEED, histories: HISTORIES });

    // Assess
    expect(results.flatMap((result) => problems(result, `--seed ${result.seed} --path ${result.path}`))).toEqual([]);
    const covered: Record<string, number> = {};
    for (const { coverage } of results) {
      for (const [what, count] of Object.entries(coverage)) covered[what] = (covered[what] ?? 0) + count;
    }
    // A sample that never got there would pass for the wrong reason.
    const uncovered = [
      'Create requests',
      'Update requests',
      'Delete requests',
      'FAILED answers',
      'requests with faults',
      'requests with a lingering rule',
      'requests delivered twice',
      'requests delivered concurrent',
      'requests delivered late',
      'late copies',
      'replacements',
      'rollbacks',
      'retries without faults',
      'cleanup deletes',
      'races',
      'adoptions',
      'changes by hand',
    ].filter((what) => !covered[what]);
    expect(uncovered).toEqual([]);
  }, 120_000);
});

describe('the known bugs of today’s handler, each in a history of its own', () => {
  // Each history is played once, for both tests that read it.
  const played = new Map<KnownBug, Promise<PlayedHistory>>();
  const play = (bug: KnownBug): Promise<PlayedHistory> => {
    const { lambdaTimeoutMs, steps } = KNOWN_BUG_HISTORIES[bug];
    const options = {
      ...OPTIONS,
      ...(lambdaTimeoutMs ? { lambdaTimeoutMs } : {}),
      knownBugs: new Set(KNOWN_BUG_NAMES),
    };
    if (!played.has(bug)) played.set(bug, playSteps(world, options, steps));
    return played.get(bug) as Promise<PlayedHistory>;
  };

  const open = KNOWN_BUG_NAMES.filter((bug) => !fixed.has(bug));
  const closed = KNOWN_BUG_NAMES.filter((bug) => fixed.has(bug));

  // Open: the history breaks its invariants today (it.failing passes while it does).
  if (open.length > 0) {
    it.failing.each(open)('%s keeps every invariant', async (bug) => {
      // Act
      const history = await play(bug);

      // Assess
      expect(problems(history, bug)).toEqual([]);
    });

    // That each shows its bug, and nothing else: so that it.failing above passes for the right reason.
    it.each(open)('%s breaks exactly its invariants today', async (bug) => {
      // Act
      const history = await play(bug);

      // Assess
      expect(history.error).toBeUndefined();
      expect([...new Set(history.violations.map((violation) => violation.invariant))].sort()).toEqual(
        [...KNOWN_BUG_HISTORIES[bug].breaks].sort(),
      );
    });
  }

  if (closed.length > 0) {
    it.each(closed)('%s (fixed) keeps every invariant', async (bug) => {
      // Act
      const history = await play(bug);

      // Assess
      expect(problems(history, bug)).toEqual([]);
    });
  }
});
