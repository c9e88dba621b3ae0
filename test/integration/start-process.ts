// npm start in a child process, for the tests that watch it from outside: its exit code, its two streams, signals.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

export const root = join(__dirname, '..', '..');
const children: ChildProcess[] = [];

export type Run = { code: number | null; stdout: string; stderr: string };

/** scripts/lifecycle.js, as `npm start --silent -- ...args` runs it. */
export const start = (args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess => {
  const child = spawn(process.execPath, ['scripts/lifecycle.js', ...args], {
    cwd: root,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
};

/** Its output so far, and its end. */
export const collect = (child: ChildProcess): { done: Promise<Run>; stdout: () => string; stderr: () => string } => {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const done = once(child, 'close').then(([code]) => ({ code: code as number | null, stdout, stderr }));
  return { done, stdout: () => stdout, stderr: () => stderr };
};

/** Runs to its end with `input` on stdin. */
export const run = (args: string[], env?: NodeJS.ProcessEnv, input = ''): Promise<Run> => {
  const child = start(args, env);
  child.stdin?.end(input);
  return collect(child).done;
};

/** Resolves once `ready()` holds, checking every 20 ms; fails after `withinMs`. */
export const until = async (ready: () => boolean, what: string, withinMs = 30_000): Promise<void> => {
  for (const started = Date.now(); !ready(); await new Promise((resolve) => setTimeout(resolve, 20))) {
    if (Date.now() - started > withinMs) throw new Error(`npm start: no ${what} within ${withinMs} ms`);
  }
};

/** stderr without the one-line Node version note (tested on its own). */
export const problemLines = (stderr: string): string[] =>
  stderr.split('\n').filter((line) => line !== '' && !line.startsWith('Note: Node '));

/** Stops what a test left running; call it in afterEach. */
export const stopChildren = async (): Promise<void> => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
};
