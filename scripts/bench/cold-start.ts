import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { readTemplate } from '../lib/cfn-yaml';
import type { NodeBinary } from './lambda-node';
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
  /** The Node that loaded the subjects: process.version for this process's. */
  node: string;
  results: LoadResult[];
  /** ours ÷ floor on the load itself (the empty node's startup taken out of both). */
  target: number;
  meetsTarget: boolean;
  /** The same subjects on the Node Lambda runs, interleaved with these, when that is another Node. */
  lambdaNode?: LambdaNodeColdStart;
};

export type LambdaNodeColdStart =
  | {
      runtime: string;
      node: string;
      runs: number;
      results: LoadResult[];
      meetsTarget: boolean;
      floorSameBytes: boolean;
    }
  | { runtime: string; unavailable: string };

/** Subjects to load with one Node executable; `runs` of them, if fewer than the others'. */
export type ColdStartGroup = { node: NodeBinary; subjects: readonly LoadSubject[]; runs?: number };

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
const timeOnce = (execPath: string, subject: LoadSubject, env: NodeJS.ProcessEnv): number => {
  const started = performance.now();
  const child = spawnSync(execPath, ['-e', subject.code], {
    env: subject.nodeOptions ? { ...env, NODE_OPTIONS: subject.nodeOptions } : env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`${subject.title} exited ${child.status}: ${child.stderr.toString()}`);
  return ms;
};

const summarize = (group: ColdStartGroup, times: Map<string, number[]>, runs: number): ColdStartReport => {
  const medianOf = (key: string): number => median(times.get(key) ?? []);
  const empty = medianOf('empty');
  const results = group.subjects.map((subject): LoadResult => {
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
    node: group.node.version,
    results,
    target: LOAD_TARGET,
    meetsTarget: (ours?.netVsFloor ?? Infinity) <= LOAD_TARGET,
  };
};

/**
 * Each group's subjects `runs` times in fresh processes of the group's Node, all interleaved (ABCD A'B'C'D' ABCD
 * ...) so that drift on a shared machine hits every subject on every Node alike; one round first, discarded, warms
 * the page cache. The children get no NODE_OPTIONS of ours (tsx would put its loader there) and nothing else that
 * could make one load differently from another. One report per group, each against its own floor and empty node.
 */
export const measureColdStartOn = (groups: readonly ColdStartGroup[], runs: number): ColdStartReport[] => {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '' };
  const times = groups.map((group) => new Map(group.subjects.map((subject) => [subject.key, [] as number[]])));
  const round = (run: number | null): void => {
    groups.forEach((group, index) => {
      if (run !== null && run >= (group.runs ?? runs)) return;
      for (const subject of group.subjects) {
        const ms = timeOnce(group.node.execPath, subject, env);
        if (run !== null) times[index]?.get(subject.key)?.push(ms);
      }
    });
  };
  round(null);
  for (let run = 0; run < runs; run++) round(run);
  return groups.map((group, index) => summarize(group, times[index] ?? new Map(), Math.min(group.runs ?? runs, runs)));
};

/** The subjects on this process's Node. */
export const measureColdStart = (subjects: readonly LoadSubject[], runs: number): ColdStartReport =>
  measureColdStartOn(
    [{ node: { execPath: process.execPath, version: process.version }, subjects }],
    runs,
  )[0] as ColdStartReport;
