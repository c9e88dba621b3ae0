import { execFile as execFileCallback } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { measureBundle } from '../../scripts/bench/bundle';
import { type CallsReport, measureCalls } from '../../scripts/bench/calls';
import { findLambdaNode, templateRuntime } from '../../scripts/bench/lambda-node';
import { floorEntrySource, sdkValueImports } from '../../scripts/bench/sdk-imports';
import { QUICK_STORM, type StormReport } from '../../scripts/bench/storm';
import { type BenchReport, renderBundle, renderCalls, renderStorm, renderTeardown } from '../../scripts/bench/table';
import { QUICK_LINGERS_MS, type TeardownReport } from '../../scripts/bench/teardown';

// The calls each event makes today, which are also its floors (docs/bench.md says why each is the least).
const EXPECTED_CALLS: Record<string, number> = {
  create: 2,
  'update-nothing': 2,
  'update-state': 3,
  'update-tags': 7,
  'update-description': 4,
  rename: 2,
  delete: 4,
};

// The issue's ceilings, written out here so that loosening a target in scripts/bench/calls.ts fails this test.
const ISSUE_TARGETS: Record<string, number> = { create: 3, 'update-nothing': 2, 'update-state': 3, delete: 4 };

describe('npm run bench, call-count section (quick, no latency)', () => {
  let report: CallsReport;

  beforeAll(async () => {
    report = await measureCalls({ latencyMs: 0, runs: 1 });
  });

  it('measures every lifecycle event, each answered SUCCESS', () => {
    expect(report.events.map((event) => event.key)).toEqual(Object.keys(EXPECTED_CALLS));
    for (const event of report.events)
      expect({ event: event.key, problems: event.problems }).toEqual({ event: event.key, problems: [] });
  });

  it.each(Object.entries(EXPECTED_CALLS))('%s makes exactly %i AWS calls, at its floor', (key, count) => {
    const event = report.events.find((candidate) => candidate.key === key);
    expect(event?.calls).toHaveLength(count);
    expect(event?.count).toBe(count);
    expect(event?.floor).toBe(count);
  });

  it('meets every call-count target, the issue’s among them', () => {
    for (const event of report.events) {
      expect({ event: event.key, meetsTarget: event.meetsTarget }).toEqual({ event: event.key, meetsTarget: true });
      const ceiling = ISSUE_TARGETS[event.key];
      if (ceiling !== undefined) expect(event.count).toBeLessThanOrEqual(ceiling);
    }
    expect(report.ok).toBe(true);
  });

  it('renders one row per event with its counts and verdict', () => {
    const table = renderCalls(report);
    for (const event of report.events) {
      const row = table.split('\n').find((line) => line.startsWith(`| ${event.title} `));
      expect(row).toMatch(new RegExp(`\\|\\s+${event.count} \\|\\s+${event.floor} \\|.*\\| ok\\s+\\|`));
    }
  });
});

describe('npm run bench, floor of the bundle', () => {
  it('keeps value imports of the SDK and drops type-only ones', () => {
    const imports = sdkValueImports(
      [
        "import { ConflictException, type TagResourceCommandInput, ListDiscoverersCommand as List } from '@aws-sdk/client-schemas';",
        "import type { $Command } from '@aws-sdk/client-eventbridge';",
        "// import { DeleteEventBusCommand } from '@aws-sdk/client-eventbridge';",
      ].join('\n'),
    );
    expect(imports).toEqual({
      '@aws-sdk/client-eventbridge': [],
      '@aws-sdk/client-schemas': ['ConflictException', 'ListDiscoverersCommand'],
    });
    expect(floorEntrySource(imports)).toContain('EventBridgeClient as m0_EventBridgeClient');
  });

  it('builds the floor and sizes both bundles', async () => {
    const bundle = await measureBundle();
    for (const sizes of [bundle.ours, bundle.floor]) {
      expect(sizes.bytes).toBeGreaterThan(0);
      expect(sizes.gzipBytes).toBeGreaterThan(0);
      expect(sizes.gzipBytes).toBeLessThan(sizes.bytes);
    }
    expect(bundle.floorImports['@aws-sdk/client-eventbridge']).toContain('EventBridgeClient');
    expect(bundle.floorImports['@aws-sdk/client-schemas']).toContain('SchemasClient');
    expect(renderBundle(bundle)).toContain('dist/index.js');
  });
});

describe('npm run bench --quick', () => {
  let report: BenchReport;

  beforeAll(async () => {
    const execFile = promisify(execFileCallback);
    const { stdout } = await execFile(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--quick', '--json'], {
      maxBuffer: 16 * 1024 * 1024,
    });
    report = JSON.parse(stdout) as BenchReport;
  }, 120_000);

  it('runs every section end to end and exits 0', () => {
    // Figures only exist; times are never asserted.
    expect(report.ok).toBe(true);
    expect(report.coldStart).toMatchObject({
      results: expect.arrayContaining([expect.objectContaining({ key: 'floor' })]),
    });
    expect(report.memory).toMatchObject({ children: expect.any(Array) });
    // Every put was the same workflow_job shape: one schema, one version.
    expect(report.discovery).toMatchObject({ puts: 40, plainMs: expect.any(Number), schemas: 1, versions: 1 });
    // Lambda's Node: measured beside this one when npm's cache has it (.ci/run fetches it first), else why not.
    const { runtime, major } = templateRuntime();
    const lambdaNode = (report.coldStart as { lambdaNode?: Record<string, unknown> }).lambdaNode;
    if (Number(process.versions.node.split('.')[0]) === major) expect(lambdaNode).toBeUndefined();
    else if (lambdaNode && 'unavailable' in lambdaNode) expect(lambdaNode.unavailable).toContain(`Node ${major}`);
    else
      expect(lambdaNode).toMatchObject({
        runtime,
        node: expect.stringMatching(new RegExp(`^v${major}\\.`)),
        floorSameBytes: true,
        results: expect.arrayContaining([expect.objectContaining({ key: 'floor' })]),
      });
  });

  it('tears down at the quick linger, each Delete answered, beside a floor of the same Delete', () => {
    const teardown = report.teardown as TeardownReport;
    expect(teardown.problems).toEqual([]);
    expect(teardown.results.map((result) => result.lingerMs)).toEqual([...QUICK_LINGERS_MS]);
    for (const result of teardown.results) {
      expect(result.problems).toEqual([]);
      // The Delete cannot end before the rule goes, and the rule refuses the first DeleteEventBus.
      expect(result.wallMs).toBeGreaterThanOrEqual(result.lingerMs);
      expect(result.deleteEventBusCalls).toBeGreaterThanOrEqual(2);
      expect(result.excessMs).toBe(result.wallMs - result.lingerMs - teardown.floorMs);
    }
    expect(teardown.floorMs).toBeGreaterThan(0);
    const row = renderTeardown(teardown)
      .split('\n')
      .find((line) => line.startsWith('| 1.0 '));
    expect(row).toMatch(/\| ≤ 1500 ms \| (ok|FAIL) +\|/);
  });

  it('runs the quick storm: Creates then Deletes, throttled, none failed and nothing left', () => {
    const storm = report.storm as StormReport;
    expect(storm).toMatchObject({ ...QUICK_STORM, left: 0, ok: true });
    expect(storm.phases.map((phase) => [phase.callsPerRequest, phase.failed])).toEqual([
      [EXPECTED_CALLS.create, 0],
      [EXPECTED_CALLS.delete, 0],
    ]);
    for (const phase of storm.phases) {
      expect(phase.floorMs).toBe(((storm.requests * phase.callsPerRequest) / storm.callsPerSecond) * 1000);
      // Every request's calls got through, the throttled ones on top.
      expect(phase.calls - phase.throttled).toBe(storm.requests * phase.callsPerRequest);
    }
    expect(renderStorm(storm)).toContain(`| ${storm.requests} Creates at once |`);
  });
});

describe('npm run bench, Lambda’s Node', () => {
  let dir: string;
  const templateWith = (runtime: string): string => {
    const path = join(dir, `${runtime}.yaml`);
    writeFileSync(
      path,
      `Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: ${runtime}\n`,
    );
    return path;
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-lambda-node-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the Node major from the template’s Runtime', () => {
    // Assess
    expect(templateRuntime(templateWith('nodejs24.x'))).toEqual({ runtime: 'nodejs24.x', major: 24 });
  });

  it('needs no second Node when this process runs the runtime’s', () => {
    // Act
    const lambda = findLambdaNode(true, templateWith(`nodejs${process.versions.node.split('.')[0]}.x`));
    // Assess
    expect(lambda).toBeNull();
  });

  it('says how to get a Node that npm’s cache does not have, in quick (offline) mode', () => {
    // Act
    const lambda = findLambdaNode(true, templateWith('nodejs99.x'));
    // Assess
    expect(lambda).toEqual({
      runtime: 'nodejs99.x',
      major: 99,
      unavailable: expect.stringContaining('Node 99 not in npm’s cache (npx -y node@99 --version fetches it'),
    });
  });
});
