import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTemplate } from '../lib/cfn-yaml';
import { BENCH_DIR } from './bundle';
import { type ColdStartReport, coldStartSubjects, measureColdStartOn } from './cold-start';

/** A Node.js executable other than this process's, to measure on. */
export type NodeBinary = { execPath: string; version: string };

export type LambdaNode =
  | { runtime: string; major: number; binary: NodeBinary }
  | { runtime: string; major: number; unavailable: string };

/** The function's Runtime in template.yaml (`nodejs24.x`) and the Node major it runs (24). */
export const templateRuntime = (templatePath = 'template.yaml'): { runtime: string; major: number } => {
  const fn = Object.values(readTemplate(templatePath).Resources).find(
    (resource) => resource.Type === 'AWS::Serverless::Function',
  );
  const runtime = String(fn?.Properties?.Runtime);
  const major = Number(/^nodejs(\d+)\.x$/.exec(runtime)?.[1]);
  if (!Number.isInteger(major)) throw new Error(`${templatePath}: Runtime ${runtime} is not a nodejsN.x runtime`);
  return { runtime, major };
};

/**
 * The Node that Lambda's runtime runs, from the npm registry's `node` package through npx (as .ci/run gets it), or
 * null when that is this process's Node already. `offline` takes it only from npm's cache: quick runs never wait
 * for a download.
 */
export const findLambdaNode = (offline: boolean, templatePath = 'template.yaml'): LambdaNode | null => {
  const { runtime, major } = templateRuntime(templatePath);
  if (Number(process.versions.node.split('.')[0]) === major) return null;
  const spec = `node@${major}`;
  const child = spawnSync(
    'npx',
    ['-y', ...(offline ? ['--offline'] : []), spec, '-p', 'process.execPath + "\\n" + process.version'],
    // Bare of NODE_OPTIONS: tsx's loader there would not be found by that node.
    { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: offline ? 30_000 : 600_000 },
  );
  const [execPath, version] = child.stdout?.trim().split('\n') ?? [];
  if (child.status === 0 && execPath && version?.startsWith(`v${major}.`)) {
    return { runtime, major, binary: { execPath, version } };
  }
  const why = offline
    ? `not in npm’s cache (npx -y ${spec} --version fetches it; npm run bench without --quick does)`
    : `npx -y ${spec} failed: ${(child.stderr || child.error?.message || '').trim().split('\n')[0] ?? ''}`;
  return { runtime, major, unavailable: `Node ${major} ${why}` };
};

/** Builds the floor bundle into `dir` in a process of `node` (scripts/bench/floor-cli.ts), and returns its path. */
export const buildFloorOn = (node: NodeBinary, dir: string): string => {
  const child = spawnSync(node.execPath, ['--import', 'tsx', 'scripts/bench/floor-cli.ts', dir], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const path = child.stdout?.trim().split('\n').pop();
  if (child.status !== 0 || !path) {
    throw new Error(`building the floor on Node ${node.version} failed: ${child.stderr || child.error?.message}`);
  }
  return path;
};

/**
 * Cold start on this process's Node and, when Lambda's runtime runs another, on that one too: there the floor is
 * built (.bench/floor-node<N>) and loaded by that Node, and its runs are interleaved with this Node's.
 */
export const measureColdStartOnBothNodes = (options: {
  oursPath: string;
  floorPath: string;
  runs: number;
  /** Quick: Lambda's Node only from npm's cache, and one run of it (its figures are then informational). */
  quick: boolean;
  progress: (message: string) => void;
}): ColdStartReport => {
  const here = { execPath: process.execPath, version: process.version };
  const subjects = coldStartSubjects(options.oursPath, options.floorPath);
  const lambda = findLambdaNode(options.quick);
  let unavailable = lambda && 'unavailable' in lambda ? lambda.unavailable : undefined;
  let lambdaFloor: string | undefined;
  if (lambda && 'binary' in lambda) {
    options.progress(`building the floor on Node ${lambda.binary.version} (${lambda.runtime})`);
    try {
      lambdaFloor = buildFloorOn(lambda.binary, join(BENCH_DIR, `floor-node${lambda.major}`));
    } catch (error) {
      unavailable = error instanceof Error ? error.message : String(error);
    }
  }
  const groups = [
    { node: here, subjects },
    ...(lambda && 'binary' in lambda && lambdaFloor
      ? [
          {
            node: lambda.binary,
            subjects: coldStartSubjects(options.oursPath, lambdaFloor),
            ...(options.quick ? { runs: 1 } : {}),
          },
        ]
      : []),
  ];
  options.progress(
    `cold start: fresh processes per subject: ${groups.map((group) => `${group.runs ?? options.runs} on ${group.node.version}`).join(', ')}`,
  );
  const [ours, theirs] = measureColdStartOn(groups, options.runs) as [ColdStartReport, ColdStartReport?];
  if (!lambda) return ours;
  const lambdaNode: ColdStartReport['lambdaNode'] =
    theirs && lambdaFloor
      ? {
          runtime: lambda.runtime,
          node: theirs.node,
          runs: theirs.runs,
          results: theirs.results,
          meetsTarget: theirs.meetsTarget,
          floorSameBytes: readFileSync(lambdaFloor).equals(readFileSync(options.floorPath)),
        }
      : { runtime: lambda.runtime, unavailable: unavailable ?? 'not measured' };
  return { ...ours, lambdaNode };
};
