import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { build } from 'esbuild';
import { startEmulator } from '../emulator';
import { BENCH_DIR } from './bundle';
import { templateNodeOptions } from './cold-start';
import type { ChildReport } from './memory-child';
import { median, ratio } from './stats';

export type ChildKind = 'noop' | 'ours';

export type ChildResult = {
  kind: ChildKind;
  title: string;
  runs: ChildReport[];
  /** The highest of the runs' peaks: memory is sized for the worst. */
  maxRssMb: number;
  loadedMaxRssMb: number;
  /** Medians over the runs. */
  loadCpuMs: number;
  lifecycleCpuMs: number;
};

export type MemoryRecommendation = {
  memorySizeMb: number;
  peakMb: number;
  headroom: number | null;
  /** Lambda's CPU share at that size: 1 vCPU at 1,769 MB, proportionally below. */
  vcpuShare: number;
  /** This machine's CPU time for loading the bundle and for one request, stretched by that share. */
  estimatedLoadMs: number;
  estimatedRequestCpuMs: number;
  reasons: string[];
};

export type MemoryReport = {
  runs: number;
  nodeOptions?: string;
  children: ChildResult[];
  /** ours − noop: the handler's own share of the peak. */
  handlerMb: number;
  recommendation: MemoryRecommendation;
  problems: string[];
};

const FULL_VCPU_MB = 1769;
// Lambda's smallest size.
const MIN_MEMORY_MB = 128;
// Over the peak measured here: Lambda's runtime client, which this plain-node child does not load, and larger
// AWS responses than the emulator's need room, and a heap near its limit spends the small CPU share on GC.
const HEADROOM = 2;
// A fifth of Lambda's 10 s limit on the init phase, where the bundle is loaded at the CPU share of the size
// (AWS documents no extra CPU for init, so none is assumed).
const LOAD_BUDGET_MS = 2000;
// Doublings: the estimates below are good to tens of percent, not to a megabyte.
const CANDIDATES_MB = [128, 256, 512, 1024];

const mb = (kb: number): number => kb / 1024;
const maxOf = (values: number[]): number => Math.max(...values);

/** Bundles the child entry with plain esbuild, so the child runs on bare node: tsx would inflate its RSS. */
export const buildChild = async (): Promise<string> => {
  const outfile = join(BENCH_DIR, 'memory-child.js');
  await build({
    entryPoints: [join(__dirname, 'memory-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
};

const runChild = (childPath: string, kind: ChildKind, bundlePath: string, env: NodeJS.ProcessEnv) =>
  new Promise<ChildReport>((resolve, reject) => {
    const name = `bench-memory-${kind}-${randomBytes(3).toString('hex')}`;
    const child = spawn(process.execPath, [childPath, kind, bundlePath, name], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`memory child (${kind}) exited ${code}: ${stderr}`));
      else resolve(JSON.parse(last) as ChildReport);
    });
  });

/**
 * The smallest Lambda size that leaves HEADROOM over the measured peak and keeps the estimated cold load (this
 * machine's CPU time, divided by Lambda's CPU share at that size) within LOAD_BUDGET_MS.
 */
export const recommendMemory = (peakMb: number, loadCpuMs: number, requestCpuMs: number): MemoryRecommendation => {
  const estimate = (size: number) => {
    const vcpuShare = Math.min(1, size / FULL_VCPU_MB);
    return { vcpuShare, loadMs: loadCpuMs / vcpuShare, requestMs: requestCpuMs / vcpuShare };
  };
  const fits = (size: number): boolean =>
    size >= MIN_MEMORY_MB && size >= peakMb * HEADROOM && estimate(size).loadMs <= LOAD_BUDGET_MS;
  const size = CANDIDATES_MB.find(fits) ?? (CANDIDATES_MB[CANDIDATES_MB.length - 1] as number);
  const { vcpuShare, loadMs, requestMs } = estimate(size);
  const smaller = CANDIDATES_MB.filter((candidate) => candidate < size);
  const reasons = [
    `peak RSS ${peakMb.toFixed(0)} MB; ${size} MB leaves ${(size / peakMb).toFixed(1)}x (want >= ${HEADROOM}x)`,
    `CPU share at ${size} MB: ${(vcpuShare * 100).toFixed(0)}% of a vCPU; the bundle's load (${loadCpuMs.toFixed(0)} ms CPU here) ` +
      `would take ~${loadMs.toFixed(0)} ms, a request's CPU (${requestCpuMs.toFixed(0)} ms here) ~${requestMs.toFixed(0)} ms`,
    ...smaller.map((candidate) => {
      const why = [
        candidate < peakMb * HEADROOM ? `under ${HEADROOM}x the peak` : '',
        estimate(candidate).loadMs > LOAD_BUDGET_MS
          ? `load ~${estimate(candidate).loadMs.toFixed(0)} ms > ${LOAD_BUDGET_MS} ms budget`
          : '',
      ].filter(Boolean);
      return `${candidate} MB: ${why.join('; ')}`;
    }),
  ];
  return {
    memorySizeMb: size,
    peakMb,
    headroom: ratio(size, peakMb),
    vcpuShare,
    estimatedLoadMs: loadMs,
    estimatedRequestCpuMs: requestMs,
    reasons,
  };
};

/**
 * Peak RSS of a child that loads the bundle and runs a whole lifecycle against the emulator in this process, beside
 * the same child with a no-op handler (node plus the harness). Interleaved, `runs` times each; the worst peak counts.
 */
export const measureMemory = async (bundlePath: string, runs: number): Promise<MemoryReport> => {
  const childPath = await buildChild();
  const emulator = await startEmulator({ latencyMs: 0, ruleLingerMs: 0 });
  const nodeOptions = templateNodeOptions();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    AWS_ENDPOINT_URL: emulator.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    // As Lambda starts the function: --enable-source-maps keeps the parsed source map in memory.
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
  };
  const reports: Record<ChildKind, ChildReport[]> = { noop: [], ours: [] };
  try {
    for (let run = 0; run < runs; run++) {
      for (const kind of ['noop', 'ours'] as const)
        reports[kind].push(await runChild(childPath, kind, bundlePath, env));
    }
  } finally {
    await emulator.close();
  }
  const children = (['noop', 'ours'] as const).map(
    (kind): ChildResult => ({
      kind,
      title: kind === 'noop' ? 'no-op handler (node + harness)' : 'dist/index.js, full lifecycle',
      runs: reports[kind],
      maxRssMb: mb(maxOf(reports[kind].map((report) => report.maxRssKb))),
      loadedMaxRssMb: mb(maxOf(reports[kind].map((report) => report.loadedMaxRssKb))),
      loadCpuMs: median(reports[kind].map((report) => report.loadCpuMs)),
      lifecycleCpuMs: median(reports[kind].map((report) => report.lifecycleCpuMs)),
    }),
  );
  const [noop, ours] = children as [ChildResult, ChildResult];
  const steps = 5;
  return {
    runs,
    ...(nodeOptions ? { nodeOptions } : {}),
    children,
    handlerMb: ours.maxRssMb - noop.maxRssMb,
    recommendation: recommendMemory(
      ours.maxRssMb,
      ours.loadCpuMs,
      Math.max(0, ours.lifecycleCpuMs - noop.lifecycleCpuMs) / steps,
    ),
    problems: reports.ours.flatMap((report) => report.problems),
  };
};
