import type { CallsReport, EventResult } from '../../scripts/bench/calls';
import type { ColdStartReport, LoadResult } from '../../scripts/bench/cold-start';
import { type BenchReport, renderColdStart, renderReport, renderVerdicts } from '../../scripts/bench/table';

// Rendering only: the figures are made up, shaped like a --quick run on a busy machine.
const event = (key: string, count: number, target: number, wallPerCallsLatency: number): EventResult => ({
  key,
  title: key,
  calls: Array.from({ length: count }, () => 'Call'),
  callsByRound: '',
  count,
  floor: count,
  target,
  targetFrom: 'issue',
  meetsTarget: count <= target,
  rounds: count,
  wallMs: 100,
  wallRunsMs: [100],
  callsLatencyMs: 100,
  wallPerCallsLatency,
  wallPerRoundsLatency: wallPerCallsLatency,
  problems: [],
});

const calls = (events: EventResult[]): CallsReport => ({
  latencyMs: 50,
  runs: 1,
  timeTarget: 1.1,
  events,
  ok: events.every((item) => item.meetsTarget),
});

const load = (key: string, title: string, netVsFloor: number | null): LoadResult => ({
  key,
  title,
  code: '0',
  medianMs: 200,
  runsMs: [200],
  netMs: 130,
  vsFloor: netVsFloor,
  netVsFloor,
});

const coldStart = (ours: number): ColdStartReport => ({
  node: 'v20.0.0',
  runs: 3,
  results: [load('empty', 'empty node', null), load('floor', 'floor bundle', 1), load('ours', 'dist/index.js', ours)],
  target: 1.15,
  meetsTarget: ours <= 1.15,
});

const report = (parts: Partial<BenchReport>): BenchReport => ({
  machine: { nproc: 2, cpu: 'test', node: 'v20.0.0', platform: 'linux-x64' },
  options: { quick: true, runs: 1, coldRuns: 3, memoryRuns: 1, latencyMs: 50 },
  ok: parts.calls?.ok ?? true,
  ...parts,
});

describe('npm run bench verdicts: asserted figures apart from informational ones', () => {
  it('does not call a slow cold start a FAIL, and names it as over its target', () => {
    // Act
    const table = renderColdStart(coldStart(1.4));

    // Assess
    expect(table).toContain('Cold start (informational)');
    expect(table).toMatch(/\| dist\/index\.js .*\| over \(info\) \|/);
    expect(table).not.toContain('FAIL');
  });

  it('ends PASS on the asserted call counts while listing the cold start as informational and over', () => {
    // Act
    const text = renderVerdicts(report({ calls: calls([event('create', 2, 3, 1.05)]), coldStart: coldStart(1.4) }));

    // Assess
    const [asserted, informational] = text.split('\n');
    expect(asserted).toBe('Asserted (the exit code): call counts all met, every request accepted. PASS');
    expect(informational).toBe(
      'Informational (never fail the run; rough with --quick): call times ok; cold start over target (dist/index.js).',
    );
  });

  it('ends FAIL naming the event when a call-count target is missed', () => {
    // Act
    const text = renderVerdicts(report({ calls: calls([event('create', 2, 3, 1.0), event('delete', 5, 4, 1.0)]) }));

    // Assess
    expect(text.split('\n')[0]).toBe('Asserted (the exit code): call counts NOT MET (delete). FAIL');
  });

  it('closes the whole report with the two verdict lines, never with "all met" above a FAIL', () => {
    // Act
    const text = renderReport(report({ calls: calls([event('create', 2, 3, 1.3)]), coldStart: coldStart(1.4) }));

    // Assess
    const lines = text.trim().split('\n');
    expect(lines.at(-2)).toMatch(/^Asserted \(the exit code\): .* PASS$/);
    expect(lines.at(-1)).toMatch(/^Informational .*call times over target \(create\); cold start over target/);
    expect(text).not.toContain('all met.');
  });

  it('names the Node of a slow cold start when Lambda’s Node was measured too', () => {
    // Prepare
    const { results, meetsTarget } = coldStart(1.3);
    const both: ColdStartReport = {
      ...coldStart(1.05),
      lambdaNode: { runtime: 'nodejs24.x', node: 'v24.0.0', runs: 3, results, meetsTarget, floorSameBytes: true },
    };

    // Act
    const text = renderVerdicts(report({ coldStart: both }));

    // Assess
    expect(text.split('\n')[1]).toBe(
      'Informational (never fail the run; rough with --quick): cold start over target (Node 24: dist/index.js).',
    );
  });
});
