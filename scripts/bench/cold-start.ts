import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { readTemplate } from '../lib/cfn-yaml';
import { median, ratio } from './stats';

export type LoadSubject = {
  key: string;
  title: string;
  /** The `node -e` program: it loads and calls nothing. */
  code: string;
  /** NODE_OPTIONS for the child; none unless given. */
  nodeOptions?: string;
};

export type LoadResult = LoadSubject & {
  medianMs: number;
  runsMs: number[];
  /** median − the empty node's median: the load itself. */
  netMs: number;
  vsFloor: number | null;
  netVsFloor: number | null;
};

export type ColdStartReport = {
  runs: number;
  results: LoadResult[];
  /** ours ÷ floor on the load itself (the empty node's startup taken out of both). */
  target: number;
  meetsTarget: boolean;
};

export const LOAD_TARGET = 1.15;

/** The function's NODE_OPTIONS in template.yaml (Lambda starts every container with them). */
export const templateNodeOptions = (templatePath = 'template.yaml'): string | undefined => {
  const fn = Object.values(readTemplate(templatePath).Resources).find(
    (resource) => resource.Type === 'AWS::Serverless::Function',
  );
  const environment = fn?.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined;
  const value = environment?.Variables?.NODE_OPTIONS;
  return typeof value === 'string' ? value : undefined;
};

export const coldStartSubjects = (
  oursPath: string,
  floorPath: string,
  nodeOptions = templateNodeOptions(),
): LoadSubject[] => [
  { key: 'empty', title: 'empty node (node -e 0)', code: '0' },
  { key: 'floor', title: 'floor bundle', code: `require(${JSON.stringify(floorPath)})` },
  { key: 'ours', title: 'dist/index.js', code: `require(${JSON.stringify(oursPath)})` },
  {
    key: 'unbundled',
    title: 'node_modules, unbundled',
    code: "require('@aws-sdk/client-eventbridge'); require('@aws-sdk/client-schemas')",
  },
  // As Lambda starts them: with the template's NODE_OPTIONS (--enable-source-maps reads and parses the .map).
  ...(nodeOptions
    ? [
        {
          key: 'floor-deployed',
          title: `floor bundle, ${nodeOptions}`,
          code: `require(${JSON.stringify(floorPath)})`,
          nodeOptions,
        },
        {
          key: 'ours-deployed',
          title: `dist/index.js, ${nodeOptions}`,
          code: `require(${JSON.stringify(oursPath)})`,
          nodeOptions,
        },
      ]
    : []),
];

/** Wall time of one fresh `node` process, spawn to exit. */
const timeOnce = (subject: LoadSubject, env: NodeJS.ProcessEnv): number => {
  const started = performance.now();
  const child = spawnSync(process.execPath, ['-e', subject.code], {
    env: subject.nodeOptions ? { ...env, NODE_OPTIONS: subject.nodeOptions } : env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`${subject.title} exited ${child.status}: ${child.stderr.toString()}`);
  return ms;
};

/**
 * Each subject `runs` times in fresh processes, interleaved (ABCD ABCD ...) so that drift on a shared machine hits
 * them all alike; one round first, discarded, warms the page cache. The children get no NODE_OPTIONS of ours
 * (tsx would put its loader there) and nothing else that could make one load differently from another.
 */
export const measureColdStart = (subjects: readonly LoadSubject[], runs: number): ColdStartReport => {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '' };
  for (const subject of subjects) timeOnce(subject, env);
  const times = new Map(subjects.map((subject) => [subject.key, [] as number[]]));
  for (let run = 0; run < runs; run++) {
    for (const subject of subjects) times.get(subject.key)?.push(timeOnce(subject, env));
  }
  const medianOf = (key: string): number => median(times.get(key) ?? []);
  const empty = medianOf('empty');
  const results = subjects.map((subject): LoadResult => {
    const medianMs = medianOf(subject.key);
    // The floor to compare with: the same NODE_OPTIONS, so a flag's cost is not charged to the bundle.
    const floorKey = subject.nodeOptions ? 'floor-deployed' : 'floor';
    const floor = medianOf(floorKey);
    return {
      ...subject,
      medianMs,
      runsMs: times.get(subject.key) ?? [],
      netMs: medianMs - empty,
      vsFloor: subject.key === 'empty' ? null : ratio(medianMs, floor),
      netVsFloor: subject.key === 'empty' ? null : ratio(medianMs - empty, floor - empty),
    };
  });
  const ours = results.find((result) => result.key === 'ours');
  return {
    runs,
    results,
    target: LOAD_TARGET,
    meetsTarget: (ours?.netVsFloor ?? Infinity) <= LOAD_TARGET,
  };
};
