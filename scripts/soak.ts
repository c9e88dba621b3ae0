import { readFlags, UsageError, wholeNumber } from './lib/cli-args';
import { KNOWN_BUG_NAMES, type KnownBug, parseKnownBugs } from './lib/histories/known-bugs';
import type { HistoryResult } from './lib/histories/run';
import { runHistories } from './lib/histories/run';
import { startWorld } from './lib/histories/world';
import { loadHandler } from './lib/load-handler';

const USAGE = `Usage: npm run soak -- [--histories N] [--seed S [--path P]] [--without BUGS] [--steps N] [--lambda-ms N] [--verbose]
Plays random CloudFormation histories (Creates, Updates, renames, rollbacks, Deletes, duplicate and late deliveries,
changes by hand, two stacks racing) against the built handler and the local emulator, with AWS faults on the way,
and checks the invariants after every request (docs/testing.md, "Random histories").
  --histories N   how many histories (default 20)
  --seed S        the seed of the run (default: a random one, printed); history n of it is at path n
  --path P        replay only the history at path P of seed S, as a failing history's line names it
  --without BUGS  leave out the triggers of these known bugs (comma-separated, or "all"):
                  ${KNOWN_BUG_NAMES.join(', ')}
  --steps N       the most steps in one history, before the final Deletes (default 12)
  --lambda-ms N   the Lambda function's time per delivery, ms (default 3000)
  --verbose       print every history's requests, answers and violations
Prints one line per history that broke an invariant (with its seed and path), then "N histories, K violations, T s".
Exits 1 when any history broke one, 2 on a bad flag.`;

const DEFAULT_STEPS = 12;
const DEFAULT_LAMBDA_MS = 3_000;
// A hung AWS call is abandoned after this long (5 s in Lambda): short, so a history with hangs stays seconds long.
const REQUEST_TIMEOUT_MS = 250;

const OPTIONS = {
  help: { type: 'boolean' },
  verbose: { type: 'boolean' },
  histories: { type: 'string' },
  seed: { type: 'string' },
  path: { type: 'string' },
  without: { type: 'string' },
  steps: { type: 'string' },
  'lambda-ms': { type: 'string' },
} as const;

export type SoakOptions = {
  histories: number;
  seed: number;
  path?: string;
  knownBugs: Set<KnownBug>;
  maxSteps: number;
  lambdaTimeoutMs: number;
  verbose: boolean;
};

// fast-check takes a 32-bit integer as a seed; the soak's are never negative, so "--seed S" always reads back.
const seedOf = (raw: string): number => {
  const seed = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || seed >= 2 ** 31) {
    throw new UsageError(`--seed must be a whole number from 0 to 2147483647, got "${raw}"`);
  }
  return seed;
};

export const parseSoakArgs = (args: string[]): SoakOptions | 'help' => {
  const values = readFlags(args, OPTIONS);
  if (values.help) return 'help';
  if (values.path !== undefined && values.seed === undefined)
    throw new UsageError('--path needs the --seed it came with');
  if (values.path !== undefined && !/^\d+$/.test(values.path)) {
    throw new UsageError(
      `--path must be a path as a failing history's line shows it (such as 7), got "${values.path}"`,
    );
  }
  const without = (() => {
    try {
      return parseKnownBugs(values.without);
    } catch (error) {
      throw new UsageError(`--without: ${(error as Error).message}`);
    }
  })();
  return {
    histories: wholeNumber('histories', values.histories, 20, 1),
    seed: values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : seedOf(values.seed),
    ...(values.path === undefined ? {} : { path: values.path }),
    knownBugs: new Set(KNOWN_BUG_NAMES.filter((bug) => !without.has(bug))),
    maxSteps: wholeNumber('steps', values.steps, DEFAULT_STEPS, 1),
    lambdaTimeoutMs: wholeNumber('lambda-ms', values['lambda-ms'], DEFAULT_LAMBDA_MS, 2_000),
    verbose: values.verbose ?? false,
  };
};

const firstLine = (text: string): string => text.split('\n')[0] ?? '';

/** The flags besides --seed and --path that shape the histories: a replay needs them too. */
export const shapingFlags = (options: SoakOptions): string =>
  [
    options.knownBugs.size < KNOWN_BUG_NAMES.length
      ? `--without ${options.knownBugs.size === 0 ? 'all' : KNOWN_BUG_NAMES.filter((bug) => !options.knownBugs.has(bug)).join(',')}`
      : '',
    options.maxSteps === DEFAULT_STEPS ? '' : `--steps ${options.maxSteps}`,
    options.lambdaTimeoutMs === DEFAULT_LAMBDA_MS ? '' : `--lambda-ms ${options.lambdaTimeoutMs}`,
  ]
    .filter(Boolean)
    .map((flag) => ` ${flag}`)
    .join('');

/** One line for a history that broke an invariant: the flags that replay it, and what broke first. */
export const failureLine = (result: HistoryResult, flags = ''): string => {
  const first = result.violations[0];
  const what = first ? `${first.invariant}: ${first.message}` : `the run failed: ${firstLine(result.error ?? '')}`;
  const more = result.violations.length > 1 ? ` (+${result.violations.length - 1} more)` : '';
  return `FAIL --seed ${result.seed} --path ${result.path}${flags}: ${what}${more}`;
};

const main = async (): Promise<number> => {
  const options = parseSoakArgs(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const started = Date.now();
  const handler = await loadHandler();
  const world = await startWorld(handler, { requestTimeoutMs: REQUEST_TIMEOUT_MS });
  const flags = shapingFlags(options);
  console.log(`soak: --seed ${options.seed}${options.path ? ` --path ${options.path}` : ''}${flags}`);
  let violations = 0;
  let histories = 0;
  const covered = new Map<string, number>();
  try {
    await runHistories(world, {
      ...options,
      onResult: (result) => {
        histories += 1;
        for (const [what, count] of Object.entries(result.coverage))
          covered.set(what, (covered.get(what) ?? 0) + count);
        violations += result.violations.length + (result.error ? 1 : 0);
        const failed = result.violations.length > 0 || result.error !== undefined;
        if (failed) console.log(failureLine(result, flags));
        if (options.verbose) {
          if (!failed) console.log(`ok   --seed ${result.seed} --path ${result.path}${flags}`);
          const details = [
            ...result.transcript,
            ...result.violations.map((violation) => `VIOLATION ${violation.invariant}: ${violation.message}`),
            ...(result.error ? [`ERROR ${result.error}`] : []),
          ];
          console.log(details.map((line) => `    ${line}`).join('\n'));
        }
      },
    });
  } finally {
    await world.close();
  }
  if (options.verbose) {
    console.log(`covered: ${[...covered].map(([what, count]) => `${what} ${count}`).join(', ')}`);
  }
  console.log(`${histories} histories, ${violations} violations, ${Math.round((Date.now() - started) / 1000)} s`);
  return violations > 0 ? 1 : 0;
};

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(`${error.message} (npm run soak -- --help lists the flags)`);
        process.exit(2);
      }
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    },
  );
}
