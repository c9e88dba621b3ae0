import { measureBundle } from './bench/bundle';
import { measureCalls } from './bench/calls';
import { measureDiscovery } from './bench/discovery';
import { measureColdStartOnBothNodes } from './bench/lambda-node';
import { describeMachine } from './bench/machine';
import { measureMemory } from './bench/memory';
import { FULL_STORM, measureStorm, QUICK_STORM } from './bench/storm';
import { type BenchReport, renderReport } from './bench/table';
import { FULL_LINGERS_MS, measureTeardown, QUICK_LINGERS_MS } from './bench/teardown';
import { readFlags, UsageError, wholeNumber } from './lib/cli-args';
import { noteNodeVersion } from './lib/node-version-note';

const USAGE = `Usage: npm run bench -- [--quick] [--json] [--runs N] [--cold-runs N] [--memory-runs N] [--latency-ms N]
                        [--only calls,bundle,cold-start,memory,discovery,teardown,storm]
Measures Custom::GithubEventBus against its floors, each measured in this same run, and prints one table per section:
  calls       AWS calls and wall time per lifecycle event (the built bundle against the local emulator)
  bundle      dist/index.js size vs a floor bundle of only the SDK surface the handler imports
  cold-start  fresh node processes loading each bundle (and node_modules, and nothing), interleaved, on this
              Node and on the one template.yaml's Runtime runs (from the npm registry via npx)
  memory      peak RSS of a child running a whole lifecycle, and the MemorySize it suggests
  discovery   emulator PutEvents answers with and without a started discoverer, and inference per event
  teardown    Delete wall time minus the managed rule's linger (1.5, 4.5, 9.5, 20 s) vs a Delete with none
  storm       16 Creates, then 16 Deletes, at once against an endpoint allowing 4 calls/s, vs 2N/R (4N/R)
  --quick          1 run, 3 cold runs, 1 memory run, one 1 s linger, a storm of 2 at 20 calls/s (for tests;
                   the ratios are then rough); Lambda's Node only if npm's cache has it (.ci/run fetches it
                   first), with 1 cold run
  --runs N         runs per lifecycle event (default 5); wall time is the median
  --cold-runs N    fresh processes per cold-start subject (default 21)
  --memory-runs N  child processes per memory subject (default 3); the worst peak counts
  --latency-ms N   emulator latency on every measured AWS call (default 50)
  --json           one JSON document instead of the tables
Exits 1 when a call-count target is missed or a request fails (the storm's included); times never fail it;
2 on a bad flag.`;

const SECTIONS = ['calls', 'bundle', 'cold-start', 'memory', 'discovery', 'teardown', 'storm'] as const;
type Section = (typeof SECTIONS)[number];

export type BenchOptions = {
  quick: boolean;
  json: boolean;
  runs: number;
  coldRuns: number;
  memoryRuns: number;
  latencyMs: number;
  sections: Section[];
};

export const parseBenchArgs = (args: string[]): BenchOptions | 'help' => {
  const values = readFlags(args, {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
    runs: { type: 'string' },
    'cold-runs': { type: 'string' },
    'memory-runs': { type: 'string' },
    'latency-ms': { type: 'string' },
    only: { type: 'string' },
  });
  if (values.help) return 'help';
  const quick = values.quick ?? false;
  const sections = (values.only?.split(',') ?? [...SECTIONS]).map((name) => name.trim());
  const unknown = sections.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new UsageError(`--only takes ${SECTIONS.join(', ')}; got ${unknown.join(', ')}`);
  return {
    quick,
    json: values.json ?? false,
    runs: wholeNumber('runs', values.runs, quick ? 1 : 5, 1),
    coldRuns: wholeNumber('cold-runs', values['cold-runs'], quick ? 3 : 21, 1),
    memoryRuns: wholeNumber('memory-runs', values['memory-runs'], quick ? 1 : 3, 1),
    latencyMs: wholeNumber('latency-ms', values['latency-ms'], 50, 0),
    sections: sections as Section[],
  };
};

// Progress goes to stderr, so `--json` leaves stdout one parseable document.
const progress = (message: string): void => {
  process.stderr.write(`bench: ${message}\n`);
};

export const runBench = async (options: BenchOptions): Promise<BenchReport> => {
  const wants = (section: Section): boolean => options.sections.includes(section);
  let bundle: BenchReport['bundle'];
  let coldStart: BenchReport['coldStart'];
  let memory: BenchReport['memory'];
  // Builds dist/index.js if stale and the floor beside it; cold start and memory need both paths.
  if (wants('bundle') || wants('cold-start') || wants('memory')) {
    progress('building the floor bundle');
    const built = await measureBundle();
    if (wants('bundle')) bundle = built;
    if (wants('cold-start')) {
      coldStart = measureColdStartOnBothNodes({
        oursPath: built.ours.path,
        floorPath: built.floor.path,
        runs: options.coldRuns,
        quick: options.quick,
        progress,
      });
    }
    if (wants('memory')) {
      progress(`memory: ${options.memoryRuns} child run(s) per subject`);
      memory = await measureMemory(built.ours.path, options.memoryRuns);
    }
  }
  // Last, so the cold-start children do not share the machine with the emulator's timers.
  let calls: BenchReport['calls'];
  if (wants('calls')) {
    progress(`calls: ${options.runs} run(s) per event at ${options.latencyMs} ms latency`);
    calls = await measureCalls({ latencyMs: options.latencyMs, runs: options.runs });
  }
  let discovery: BenchReport['discovery'];
  if (wants('discovery')) {
    progress('discovery: PutEvents with and without a started discoverer');
    discovery = await measureDiscovery({ quick: options.quick });
  }
  let teardown: BenchReport['teardown'];
  if (wants('teardown')) {
    const lingersMs = options.quick ? QUICK_LINGERS_MS : FULL_LINGERS_MS;
    progress(`teardown: rule lingers of ${lingersMs.map((ms) => ms / 1000).join(', ')} s`);
    teardown = await measureTeardown({ latencyMs: options.latencyMs, lingersMs, floorRuns: options.runs });
  }
  let storm: BenchReport['storm'];
  if (wants('storm')) {
    const size = options.quick ? QUICK_STORM : FULL_STORM;
    progress(`storm: ${size.requests} requests at once, ${size.callsPerSecond} calls/s`);
    storm = await measureStorm({ ...size, latencyMs: options.latencyMs });
  }
  return {
    machine: describeMachine(),
    options: {
      quick: options.quick,
      runs: options.runs,
      coldRuns: options.coldRuns,
      memoryRuns: options.memoryRuns,
      latencyMs: options.latencyMs,
    },
    ok: (calls?.ok ?? true) && (memory?.problems.length ?? 0) === 0 && (teardown?.ok ?? true) && (storm?.ok ?? true),
    ...(calls ? { calls } : {}),
    ...(bundle ? { bundle } : {}),
    ...(coldStart ? { coldStart } : {}),
    ...(memory ? { memory } : {}),
    ...(discovery ? { discovery } : {}),
    ...(teardown ? { teardown } : {}),
    ...(storm ? { storm } : {}),
  };
};

const main = async (): Promise<number> => {
  const options = parseBenchArgs(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  noteNodeVersion();
  const report = await runBench(options);
  console.log(options.json ? JSON.stringify(report, null, 2) : renderReport(report));
  return report.ok ? 0 : 1;
};

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      const usage = error instanceof UsageError;
      console.error(usage ? `${error.message} (npm run bench -- --help lists the flags)` : error);
      process.exit(usage ? 2 : 1);
    },
  );
}
