import type { BundleReport, Sizes } from './bundle';
import type { CallsReport } from './calls';
import type { ColdStartReport, LoadResult } from './cold-start';
import type { DiscoveryReport } from './discovery';
import type { Machine } from './machine';
import type { MemoryReport } from './memory';
import type { StormReport } from './storm';
import type { TeardownReport } from './teardown';

export type BenchReport = {
  machine: Machine;
  options: { quick: boolean; runs: number; coldRuns: number; memoryRuns: number; latencyMs: number };
  calls?: CallsReport;
  bundle?: BundleReport;
  coldStart?: ColdStartReport;
  memory?: MemoryReport;
  teardown?: TeardownReport;
  storm?: StormReport;
  discovery?: DiscoveryReport;
  ok: boolean;
};

type Align = 'left' | 'right';
export type Column = { header: string; align?: Align };

/** A Markdown table, padded so it reads as well in a terminal as in docs/bench.md. */
export const renderTable = (columns: readonly Column[], rows: readonly (readonly string[])[]): string => {
  const widths = columns.map((column, index) =>
    Math.max(3, column.header.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const pad = (text: string, index: number): string => {
    const width = widths[index] ?? 0;
    return columns[index]?.align === 'right' ? text.padStart(width) : text.padEnd(width);
  };
  const line = (cells: readonly string[]): string =>
    `| ${columns.map((_, index) => pad(cells[index] ?? '', index)).join(' | ')} |`;
  const rule = `|${columns
    .map((column, index) => {
      const dashes = '-'.repeat(widths[index] ?? 3);
      return column.align === 'right' ? ` ${dashes.slice(1)}: ` : ` ${dashes} `;
    })
    .join('|')}|`;
  return [line(columns.map((column) => column.header)), rule, ...rows.map(line)].join('\n');
};

const ms = (value: number): string =>
  !Number.isFinite(value) ? '-' : Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 1 : 0);
const times = (value: number | null): string => (value === null ? '-' : `${value.toFixed(2)}x`);
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
// Asserted figures (they set the exit code) fail; informational ones (times, sizes) are only over their target.
const verdict = (ok: boolean): string => (ok ? 'ok' : 'FAIL');
const infoVerdict = (ok: boolean): string => (ok ? 'ok' : 'over (info)');

export const renderCalls = (report: CallsReport): string => {
  const latency = report.latencyMs;
  const title =
    `AWS calls per lifecycle event (calls asserted, times informational): emulator with ${latency} ms on every ` +
    `call, rule linger 0; wall = median of ${report.runs} run${report.runs === 1 ? '' : 's'}, warm container`;
  const table = renderTable(
    [
      { header: 'Event' },
      { header: 'calls', align: 'right' },
      { header: 'floor', align: 'right' },
      { header: '÷ floor', align: 'right' },
      { header: 'target', align: 'right' },
      { header: 'verdict' },
      { header: 'wall ms', align: 'right' },
      { header: 'calls×lat ms', align: 'right' },
      { header: 'wall ÷ calls×lat', align: 'right' },
      { header: 'rounds', align: 'right' },
      { header: 'wall ÷ rounds×lat', align: 'right' },
      { header: 'wall − rounds×lat ms', align: 'right' },
      { header: `time (≤ ${report.timeTarget.toFixed(2)}x)` },
      { header: 'AWS calls (+ parallel, -> next round)' },
    ],
    report.events.map((event) => [
      event.title,
      String(event.count),
      String(event.floor),
      times(event.count / event.floor),
      `≤ ${event.target}${event.targetFrom === 'issue' ? ' (issue)' : ' (floor)'}`,
      verdict(event.meetsTarget),
      ms(event.wallMs),
      latency > 0 ? ms(event.callsLatencyMs) : '-',
      times(event.wallPerCallsLatency),
      latency > 0 ? String(event.rounds) : '-',
      times(event.wallPerRoundsLatency),
      latency > 0 ? ms(event.wallMs - event.rounds * latency) : '-',
      event.wallPerCallsLatency === null ? '-' : event.wallPerCallsLatency <= report.timeTarget ? 'ok' : 'over',
      event.callsByRound || '(none)',
    ]),
  );
  const problems = report.events.flatMap((event) => event.problems.map((problem) => `  ${event.title}: ${problem}`));
  return [title, '', table, ...(problems.length > 0 ? ['', 'Problems:', ...problems] : [])].join('\n');
};

const sizeRow = (
  title: string,
  sizes: Sizes,
  bytesRatio: number | null,
  gzipRatio: number | null,
  target: string,
  ok: string,
): string[] => [
  title,
  `${sizes.bytes} (${kib(sizes.bytes)})`,
  `${sizes.gzipBytes} (${kib(sizes.gzipBytes)})`,
  times(bytesRatio),
  times(gzipRatio),
  target,
  ok,
];

export const renderBundle = (report: BundleReport): string => {
  const table = renderTable(
    [
      { header: 'Bundle' },
      { header: 'bytes', align: 'right' },
      { header: 'gzip', align: 'right' },
      { header: '÷ floor', align: 'right' },
      { header: 'gzip ÷ floor', align: 'right' },
      { header: 'target' },
      { header: 'verdict' },
    ],
    [
      sizeRow('floor (SDK clients + the handler’s imports only)', report.floor, 1, 1, '', ''),
      sizeRow(
        'dist/index.js',
        report.ours,
        report.bytesRatio,
        report.gzipRatio,
        `≤ ${report.target.toFixed(2)}x`,
        infoVerdict(report.meetsTarget),
      ),
    ],
  );
  const excess = report.excess
    .slice(0, 5)
    .map((entry) => `${entry.origin} ${entry.bytes} B`)
    .join(', ');
  return [
    'Bundle size (informational): dist/index.js vs a floor built in this run with the same esbuild options',
    '',
    table,
    '',
    `Beyond the floor (esbuild metafile, bytes in output): ${excess || 'nothing'}`,
  ].join('\n');
};

const COLD_PRIMARY = new Set(['ours', 'ours-deployed']);

/** One Node's figures for a cold-start row: median, ÷ floor, minus empty, ÷ floor minus empty, verdict. */
const coldStartCells = (report: { results: LoadResult[] }, key: string, target: number): string[] => {
  const result = report.results.find((candidate) => candidate.key === key);
  if (!result) return ['-', '-', '-', '-', ''];
  return [
    ms(result.medianMs),
    times(result.vsFloor),
    result.key === 'empty' ? '-' : ms(result.netMs),
    times(result.netVsFloor),
    COLD_PRIMARY.has(key) ? infoVerdict((result.netVsFloor ?? Infinity) <= target) : '',
  ];
};

const nodeName = (version: string): string => `Node ${version.replace(/^v/, '').split('.')[0]}`;

export const renderColdStart = (report: ColdStartReport): string => {
  const lambda = report.lambdaNode && 'results' in report.lambdaNode ? report.lambdaNode : undefined;
  const nodes = [report, ...(lambda ? [lambda] : [])];
  const nodeColumns = (name: string): Column[] => [
    { header: nodes.length > 1 ? `${name}: median ms` : 'median ms', align: 'right' },
    { header: '÷ floor', align: 'right' },
    { header: 'minus empty ms', align: 'right' },
    { header: '÷ floor, minus empty', align: 'right' },
    { header: 'verdict' },
  ];
  const table = renderTable(
    [
      { header: 'Load (fresh node, require only)' },
      { header: 'target' },
      ...nodes.flatMap((node) => nodeColumns(nodeName(node.node))),
    ],
    report.results.map((result) => [
      result.title,
      COLD_PRIMARY.has(result.key) ? `≤ ${report.target.toFixed(2)}x` : '',
      ...nodes.flatMap((node) => coldStartCells(node, result.key, report.target)),
    ]),
  );
  const onLambda = report.lambdaNode
    ? 'results' in report.lambdaNode
      ? [
          '',
          `${nodeName(report.lambdaNode.node)} (${report.lambdaNode.node}) is what Lambda's ${report.lambdaNode.runtime}` +
            ` runs: its floor was built and loaded on it in this run, interleaved with ${nodeName(report.node)}'s;` +
            ` that floor has ${report.lambdaNode.floorSameBytes ? 'the same bytes as' : 'OTHER BYTES than'} ${nodeName(report.node)}'s.`,
        ]
      : ['', `Not measured on Lambda's ${report.lambdaNode.runtime}: ${report.lambdaNode.unavailable}.`]
    : [];
  const runs =
    lambda && lambda.runs !== report.runs ? `${report.runs} (${nodeName(lambda.node)}: ${lambda.runs})` : report.runs;
  return [
    `Cold start (informational): median of ${runs} fresh processes each, interleaved; the verdict is on "minus empty"` +
      ' (node’s own startup taken out of both)',
    '',
    table,
    ...onLambda,
  ].join('\n');
};

export const renderMemory = (report: MemoryReport): string => {
  const [noop] = report.children;
  const table = renderTable(
    [
      { header: 'Child process' },
      { header: 'peak RSS MB', align: 'right' },
      { header: 'after load MB', align: 'right' },
      { header: 'minus no-op MB', align: 'right' },
      { header: '÷ no-op', align: 'right' },
      { header: 'load CPU ms', align: 'right' },
      { header: 'lifecycle CPU ms', align: 'right' },
    ],
    report.children.map((child) => [
      child.title,
      child.maxRssMb.toFixed(1),
      child.loadedMaxRssMb.toFixed(1),
      child.kind === 'noop' ? '-' : (child.maxRssMb - (noop?.maxRssMb ?? 0)).toFixed(1),
      child.kind === 'noop' ? '-' : times(child.maxRssMb / (noop?.maxRssMb ?? Number.NaN)),
      ms(child.loadCpuMs),
      ms(child.lifecycleCpuMs),
    ]),
  );
  const { recommendation } = report;
  return [
    `Memory (informational; a failed lifecycle is asserted): peak RSS (process.resourceUsage().maxRSS) of a child running Create, Update (stop), rename, Delete old,` +
      ` Delete; worst of ${report.runs}; NODE_OPTIONS ${report.nodeOptions ?? '(none)'} as in template.yaml`,
    '',
    table,
    '',
    `Recommended MemorySize: ${recommendation.memorySizeMb} MB`,
    ...recommendation.reasons.map((reason) => `  - ${reason}`),
    ...report.problems.map((problem) => `  problem: ${problem}`),
  ].join('\n');
};

const discoveryMeetsTarget = (report: DiscoveryReport): boolean => report.ratio !== null && report.ratio <= 1.1;

export const renderDiscovery = (report: DiscoveryReport): string => {
  const title =
    'Schema discovery (informational): PutEvents round trip (SDK client, emulator without latency), bus without and with a started ' +
    `discoverer; median of ${report.puts} puts on each, interleaved`;
  const table = renderTable(
    [
      { header: 'Bus' },
      { header: 'PutEvents ms', align: 'right' },
      { header: '÷ no discoverer', align: 'right' },
      { header: 'target' },
      { header: 'verdict' },
    ],
    [
      ['no discoverer', report.plainMs.toFixed(3), '1.00x', '', ''],
      [
        'discoverer STARTED',
        report.discoveringMs.toFixed(3),
        times(report.ratio),
        '≤ 1.10x',
        infoVerdict(discoveryMeetsTarget(report)),
      ],
    ],
  );
  return [
    title,
    '',
    table,
    '',
    `Inference, off the request path: ${report.inferMicros} µs per repeated workflow_job event (parse, infer, merge ` +
      `into the latest version); the puts made ${report.schemas} schema(s), ${report.versions} version(s).`,
  ].join('\n');
};

const seconds = (value: number): string => (value / 1000).toFixed(1);

export const renderTeardown = (report: TeardownReport): string => {
  const table = renderTable(
    [
      { header: 'Rule linger s' },
      { header: 'Delete wall ms', align: 'right' },
      { header: 'wall − linger ms', align: 'right' },
      { header: '÷ floor', align: 'right' },
      { header: 'excess ms', align: 'right' },
      { header: 'target' },
      { header: 'verdict' },
      { header: 'DeleteEventBus calls', align: 'right' },
      { header: 'AWS calls', align: 'right' },
    ],
    report.results.map((result) => [
      seconds(result.lingerMs),
      ms(result.wallMs),
      ms(result.beyondLingerMs),
      times(result.vsFloor),
      ms(result.excessMs),
      `≤ ${report.targetExcessMs} ms`,
      verdict(result.meetsTarget),
      String(result.deleteEventBusCalls),
      String(result.calls),
    ]),
  );
  const problems = [
    ...report.problems,
    ...report.results.flatMap((result) =>
      result.problems.map((problem) => `linger ${seconds(result.lingerMs)} s: ${problem}`),
    ),
  ];
  return [
    `Teardown: Delete while the discoverer's managed rule lingers after DeleteDiscoverer; emulator with ` +
      `${report.latencyMs} ms on every call; floor = the same Delete with the rule gone at once ` +
      `(median of ${report.floorRunsMs.length}): ${ms(report.floorMs)} ms; excess = wall − linger − floor`,
    '',
    table,
    ...(problems.length > 0 ? ['', 'Problems:', ...problems.map((problem) => `  ${problem}`)] : []),
  ].join('\n');
};

export const renderStorm = (report: StormReport): string => {
  const table = renderTable(
    [
      { header: 'Phase' },
      { header: 'calls each', align: 'right' },
      { header: 'floor ms', align: 'right' },
      { header: 'wall ms', align: 'right' },
      { header: '÷ floor', align: 'right' },
      { header: 'failed', align: 'right' },
      { header: 'target' },
      { header: 'verdict' },
      { header: 'AWS calls', align: 'right' },
      { header: 'throttled', align: 'right' },
    ],
    report.phases.map((phase) => [
      phase.title,
      String(phase.callsPerRequest),
      ms(phase.floorMs),
      ms(phase.wallMs),
      times(phase.vsFloor),
      String(phase.failed),
      '0 failed',
      verdict(phase.failed === 0),
      String(phase.calls),
      String(phase.throttled),
    ]),
  );
  const problems = report.phases.flatMap((phase) => phase.problems.map((problem) => `  ${phase.title}: ${problem}`));
  return [
    `Throttle storm: ${report.requests} requests at once against an endpoint that accepts ${report.callsPerSecond} ` +
      `calls/s (one token bucket, burst 1), ${report.latencyMs} ms on every call; floor = requests × calls each ÷ rate`,
    '',
    table,
    '',
    `Left after the Deletes: ${report.left} of the storm's buses and discoverers${report.left === 0 ? '' : ' (FAIL)'}`,
    ...(problems.length > 0 ? ['', 'Problems:', ...problems] : []),
  ].join('\n');
};

export const renderReport = (report: BenchReport): string => {
  const { machine, options } = report;
  const header =
    `npm run bench${options.quick ? ' --quick' : ''}: ${machine.nproc} CPUs (${machine.cpu}), Node ${machine.node}, ` +
    `${machine.platform}. Ratios compare figures measured side by side in this run; absolute times are this machine's.`;
  const sections = [
    report.calls && renderCalls(report.calls),
    report.bundle && renderBundle(report.bundle),
    report.coldStart && renderColdStart(report.coldStart),
    report.memory && renderMemory(report.memory),
    report.discovery && renderDiscovery(report.discovery),
    report.teardown && renderTeardown(report.teardown),
    report.storm && renderStorm(report.storm),
  ].filter((section): section is string => Boolean(section));
  return [header, ...sections, renderVerdicts(report)].join('\n\n');
};

/** The closing lines: what the exit code stands on, then what is only reported (and rough with --quick). */
export const renderVerdicts = (report: BenchReport): string => {
  const { calls, bundle, coldStart, memory, discovery, teardown, storm } = report;
  const asserted = [
    calls &&
      (calls.ok
        ? 'call counts all met, every request accepted'
        : `call counts NOT MET (${calls.events
            .filter((event) => !event.meetsTarget)
            .map((event) => event.title)
            .join(', ')})`),
    memory && (memory.problems.length === 0 ? 'memory lifecycle ran' : 'memory lifecycle FAILED'),
    teardown && (teardown.ok ? 'teardown Deletes accepted' : 'teardown Deletes FAILED'),
    storm &&
      (storm.ok
        ? 'storm: 0 requests failed, nothing left'
        : `storm FAILED (${storm.phases.reduce((sum, phase) => sum + phase.failed, 0)} failed, ${storm.left} left)`),
  ].filter((text): text is string => Boolean(text));
  const slowCalls = calls?.events.filter(
    (event) => event.wallPerCallsLatency !== null && event.wallPerCallsLatency > calls.timeTarget,
  );
  const lambda = coldStart?.lambdaNode && 'results' in coldStart.lambdaNode ? coldStart.lambdaNode : undefined;
  const target = coldStart?.target ?? Infinity;
  const loads = coldStart && [coldStart, ...(lambda ? [lambda] : [])];
  const slowLoads = loads?.flatMap((node) =>
    node.results
      .filter((result) => COLD_PRIMARY.has(result.key) && !((result.netVsFloor ?? Infinity) <= target))
      .map((result) => (lambda ? `${nodeName(node.node)}: ${result.title}` : result.title)),
  );
  const over = (what: string, names: string[]): string =>
    names.length === 0 ? `${what} ok` : `${what} over target (${names.join(', ')})`;
  const informational = [
    slowCalls &&
      over(
        'call times',
        slowCalls.map((event) => event.title),
      ),
    bundle && (bundle.meetsTarget ? 'bundle size ok' : 'bundle size over target'),
    slowLoads && over('cold start', slowLoads),
    memory && `memory peak ${Math.max(...memory.children.map((child) => child.maxRssMb)).toFixed(0)} MB`,
    discovery && (discoveryMeetsTarget(discovery) ? 'discovery PutEvents ok' : 'discovery PutEvents over target'),
    teardown &&
      over(
        'teardown excess',
        teardown.results
          .filter((result) => !(result.excessMs <= teardown.targetExcessMs))
          .map((result) => `${result.lingerMs / 1000} s`),
      ),
  ].filter((text): text is string => Boolean(text));
  const rough = report.options.quick ? '; rough with --quick' : '';
  return [
    `Asserted (the exit code): ${asserted.join('; ') || 'nothing measured'}. ${report.ok ? 'PASS' : 'FAIL'}`,
    `Informational (never fail the run${rough}): ${informational.join('; ') || 'nothing measured'}.`,
  ].join('\n');
};
