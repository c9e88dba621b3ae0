import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

// What the documents' walk-throughs share: their blocks, the emulator they start, and the shell they run in.

export const root = join(__dirname, '..', '..');

/** The URL the documents' commands name; the tests swap in the one of an emulator on a free port. */
export const DOC_URL = 'http://127.0.0.1:4599';

export const readDoc = (path: string): string => readFileSync(join(root, path), 'utf8');

/** The ```sh blocks of a Markdown text, in order. */
const shellBlocks = (markdown: string): string[] =>
  [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');

/**
 * A walk-through: the block that starts the emulator, then every ```sh block after it up to the next `## `
 * heading (or the end), run one after another in one shell.
 */
export const walkthrough = (markdown: string, doc: string): { emulator: string; client: string } => {
  const start = markdown.indexOf('```sh\nnpm run emulator');
  if (start < 0) throw new Error(`${doc} has no \`\`\`sh block starting with "npm run emulator"`);
  const next = markdown.indexOf('\n## ', start);
  const [emulator, ...client] = shellBlocks(markdown.slice(start, next < 0 ? undefined : next));
  if (emulator === undefined || client.length === 0) {
    throw new Error(`${doc} has no \`\`\`sh block after the one that starts the emulator`);
  }
  return { emulator, client: client.join('') };
};

/** The script's non-empty lines, a command continued with `\` joined into one. */
export const commandLines = (script: string): string[] =>
  script
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '');

/** The operations the commands make, in order: `aws events create-event-bus` is CreateEventBus, a sample event PutEvents. */
export const expectedOperations = (script: string): string[] =>
  commandLines(script).flatMap((line) => {
    const aws = /^aws (events|schemas) ([a-z-]+)/.exec(line);
    if (aws) {
      const operation = (aws[2] ?? '').replace(/(^|-)([a-z])/g, (_, _dash, letter: string) => letter.toUpperCase());
      return [`${aws[1]} ${operation}`];
    }
    return line.startsWith('npm run sample-event') ? ['events PutEvents'] : [];
  });

/** Every distinct `aws` on the PATH (say a pip-installed v1 ahead of Debian's v2), keyed by its --version. */
export const awsClis = (): { path: string; version: string }[] => {
  const found = new Map<string, { path: string; version: string }>();
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const path = join(dir, 'aws');
    const run = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000 });
    if (run.status !== 0) continue;
    const version = `${run.stdout}${run.stderr}`.trim().split(' ')[0] ?? path;
    if (!found.has(version)) found.set(version, { path: realpathSync(path), version });
  }
  return [...found.values()];
};

/**
 * An environment with the AWS CLI at `cliPath` first on the PATH and nothing from this machine's AWS setup; `done`
 * removes the directory that holds the CLI's link.
 */
export const cliEnvironment = (cliPath: string): { env: NodeJS.ProcessEnv; done: () => void } => {
  const bin = mkdtempSync(join(tmpdir(), 'walkthrough-'));
  symlinkSync(cliPath, join(bin, 'aws'));
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')),
  );
  Object.assign(env, {
    PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
    AWS_CONFIG_FILE: join(bin, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(bin, 'no-credentials'),
  });
  return { env, done: () => rmSync(bin, { recursive: true, force: true }) };
};

/** Runs a script in bash; resolves with its exit code and output, whatever the code. */
export const bash = (
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(
      'bash',
      ['-euo', 'pipefail', '-c', script],
      { cwd: root, env, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

const children: ChildProcess[] = [];

/** Stops every emulator started so far; each child leads its own process group (bash, npm, node). */
export const stopEmulators = async (): Promise<void> => {
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
    const exited = once(child, 'exit');
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
};

/** Runs a document's emulator line on a free port; resolves with its URL and everything it printed so far. */
export const startDocEmulator = async (line: string): Promise<{ url: string; output: () => string }> => {
  if (!line.includes(' --port 4599')) throw new Error(`the emulator line does not name --port 4599: ${line}`);
  const child = spawn('bash', ['-c', line.replace('--port 4599', '--port 0')], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let text = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const found = /Emulator listening on (http:\/\/\S+)\n/.exec(text)?.[1];
      if (found) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code}) before its URL: ${text}`)));
  });
  return { url, output: () => text };
};
