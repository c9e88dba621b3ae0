import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const root = join(__dirname, '..', '..');
const README_URL = 'http://127.0.0.1:4599';

/** The ```sh blocks of the README, in order. */
const shellBlocks = (markdown: string): string[] =>
  [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');

/**
 * The walk-through: the block that starts the emulator, then every ```sh block after it up to the next `## `
 * heading (the second terminal's commands, then local schema discovery), run one after another in one shell.
 */
const walkthrough = (markdown: string): { emulator: string; client: string } => {
  const start = markdown.indexOf('```sh\nnpm run emulator');
  const end = markdown.indexOf('\n## ', start);
  if (start < 0 || end < 0) throw new Error('README.md has no ```sh block starting with "npm run emulator"');
  const [emulator, ...client] = shellBlocks(markdown.slice(start, end));
  if (emulator === undefined || client.length === 0) {
    throw new Error('README.md has no ```sh block after the one that starts the emulator');
  }
  return { emulator, client: client.join('') };
};

/** The operations the commands make, in order: `aws events create-event-bus` is CreateEventBus, a sample event PutEvents. */
const expectedOperations = (script: string): string[] =>
  script
    .replace(/\\\n/g, ' ')
    .split('\n')
    .flatMap((line) => {
      const aws = /^aws (events|schemas) ([a-z-]+)/.exec(line);
      if (aws) {
        const operation = (aws[2] ?? '').replace(/(^|-)([a-z])/g, (_, _dash, letter: string) => letter.toUpperCase());
        return [`${aws[1]} ${operation}`];
      }
      return line.startsWith('npm run sample-event') ? ['events PutEvents'] : [];
    });

/** Every distinct `aws` on the PATH (say a pip-installed v1 ahead of Debian's v2), keyed by its --version. */
const awsClis = (): { path: string; version: string }[] => {
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

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const clis = awsClis();
const children: ChildProcess[] = [];

afterEach(async () => {
  // Each child leads its own process group (bash, npm, node): stop the whole group.
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
    const exited = once(child, 'exit');
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
});

/** Runs a script in bash; resolves with its exit code and output, whatever the code. */
const bash = (script: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(
      'bash',
      ['-euo', 'pipefail', '-c', script],
      { cwd: root, env, timeout: 240_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

/** Runs the README's emulator line on a free port; resolves with its URL and everything it printed so far. */
const startReadmeEmulator = async (
  line: string,
): Promise<{ child: ChildProcess; url: string; output: () => string }> => {
  expect(line).toContain('--port 4599');
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
  return { child, url, output: () => text };
};

describe('the README walk-through (test data: the README itself)', () => {
  it('finds the emulator block and the client blocks after it', () => {
    const { emulator, client } = walkthrough(readme);
    expect(emulator).toMatch(/^npm run emulator -- --port 4599/);
    expect(client).toContain('aws events create-event-bus --name github-actions-event-bus');
    expect(client).toContain('aws schemas create-discoverer');
    expect(client).toContain('npm run sample-event');
    expect(client).toContain('aws schemas describe-schema');
    expect(expectedOperations(client)).toContain('schemas CreateDiscoverer');
    // Every aws command names the endpoint itself: older CLIs ignore AWS_ENDPOINT_URL.
    const commands = client.replace(/\\\n/g, ' ').split('\n');
    for (const command of commands.filter((line) => line.startsWith('aws '))) {
      expect(command).toContain(`--endpoint-url ${README_URL}`);
    }
  });

  if (clis.length === 0) {
    it.skip('runs with the AWS CLI: SKIPPED, no `aws` on the PATH (Debian: apt-get install awscli)', () => {});
  }
});

// Jest refuses .each over an empty table, so without a CLI this block is left out and the skip above says why.
(clis.length > 0 ? describe.each(clis) : () => undefined)(
  'the README walk-through, typed as written, with $version',
  ({ path }) => {
    it('creates the bus and discoverer, puts the sample event, reads them back and removes them', async () => {
      // Prepare: the AWS CLI under test first on the PATH, and nothing from this machine's AWS setup.
      const { emulator, client } = walkthrough(readme);
      const bin = mkdtempSync(join(tmpdir(), 'walkthrough-'));
      symlinkSync(path, join(bin, 'aws'));
      const env: NodeJS.ProcessEnv = Object.fromEntries(
        Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')),
      );
      Object.assign(env, {
        PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
        AWS_CONFIG_FILE: join(bin, 'no-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(bin, 'no-credentials'),
      });
      const server = await startReadmeEmulator(emulator.trim());

      try {
        // Act
        const run = await bash(client.replaceAll(README_URL, server.url), env);

        // Assess
        expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
        expect(run.stdout).toContain(
          '"EventBusArn": "arn:aws:events:us-east-1:123456789012:event-bus/github-actions-event-bus"',
        );
        expect(run.stdout).toContain('"DiscovererId": "events-event-bus-github-actions-event-bus"');
        expect(run.stdout).toContain('"State": "STARTED"');
        expect(run.stdout).toMatch(/Put workflow_job \(queued\) on github-actions-event-bus: event \S+/);
        expect(run.stdout).toContain('"Name": "github-actions-event-bus"');
        expect(run.stdout).toContain('"SchemaName": "github.com@workflow_job"');
        // The emulator's request log (--verbose), read as it arrives: its last line may trail the client's exit.
        const expected = expectedOperations(client);
        const logged = (): string[] => server.output().match(/^\S+ (events|schemas) \w+ \d+.*$/gm) ?? [];
        for (let wait = 0; wait < 50 && logged().length < expected.length; wait += 1) await sleep(100);
        const requests = logged().map((line) => line.split(' ').slice(1));
        expect(requests.map(([service, operation]) => `${service} ${operation}`)).toEqual(expected);
        expect(requests.filter(([, , status]) => !/^2\d\d$/.test(status ?? ''))).toEqual([]);
      } finally {
        rmSync(bin, { recursive: true, force: true });
      }
    }, 300_000);
  },
);

// For a reader of the test log: say plainly why the CLI runs did not happen.
if (clis.length === 0) {
  process.stderr.write('README walk-through: no `aws` on the PATH, so its AWS CLI runs are skipped.\n');
}
