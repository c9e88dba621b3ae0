import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { BadRequestException, CreateDiscovererCommand, SchemasClient } from '@aws-sdk/client-schemas';
import { CREDENTIALS } from './clients';

const root = join(__dirname, '..', '..');
const children: ChildProcess[] = [];

function runCli(args: string[]): ChildProcess {
  // One process (tsx as a loader, not its wrapper CLI) so a kill in afterEach leaves no orphan behind.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/emulator-cli.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

/** Collects stdout until it holds `count` lines. */
async function firstLines(child: ChildProcess, count: number): Promise<string[]> {
  let text = '';
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    text += chunk.toString('utf8');
    if (text.split('\n').length > count) break;
  }
  return text.split('\n').slice(0, count);
}

function urlIn(line: string | undefined): string | undefined {
  return /^Emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line ?? '')?.[1];
}

/** Output of a child that exits by itself: its code and both streams. */
async function finished(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

/** True once nothing accepts connections on the port any more. */
async function portFreed(port: number, withinMs: number): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < withinMs; await sleep(100)) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => resolve(true));
      socket.once('error', () => resolve(false));
    }).then((result) => result);
    if (!accepted) return true;
  }
  return false;
}

const groupLeaders: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
  // npm and what it started share a process group of their own: stop whatever of it is left.
  for (const child of groupLeaders.splice(0)) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  }
});

describe('npm run emulator (scripts/emulator-cli.ts)', () => {
  it('prints the URL it serves on and the AWS_ENDPOINT_URL hint', async () => {
    // Prepare
    const child = runCli(['--port', '0']);

    // Act
    const [listening, hint] = await firstLines(child, 2);

    // Assess
    const url = urlIn(listening);
    expect(hint).toBe(`AWS_ENDPOINT_URL=${url}`);
    expect((await fetch(`${url}/v1/discoverers`)).status).toBe(200);
  }, 15_000);

  it('exits 0 on SIGTERM', async () => {
    // Prepare
    const child = runCli(['--port', '0', '--latency-ms', '1', '--rule-linger-ms', '10']);
    await firstLines(child, 2);

    // Act
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');

    // Assess
    expect(code).toBe(0);
  }, 15_000);

  it('refuses CreateDiscoverer beyond --discoverer-quota', async () => {
    // Prepare
    const child = runCli(['--port', '0', '--discoverer-quota', '1']);
    const [listening] = await firstLines(child, 2);
    const endpoint = urlIn(listening) ?? '';
    const config = { endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
    const events = new EventBridgeClient(config);
    const schemas = new SchemasClient(config);
    const arns: string[] = [];
    for (const name of ['orders', 'payments']) {
      arns.push((await events.send(new CreateEventBusCommand({ Name: name }))).EventBusArn ?? '');
    }
    await schemas.send(new CreateDiscovererCommand({ SourceArn: arns[0] }));

    // Act
    const error = await schemas.send(new CreateDiscovererCommand({ SourceArn: arns[1] })).catch((e: Error) => e);

    // Assess
    expect(error).toBeInstanceOf(BadRequestException);
    events.destroy();
    schemas.destroy();
  }, 15_000);

  it('refuses a flag value that is not a whole number with exit code 2', async () => {
    // Prepare
    const child = runCli(['--latency-ms', 'soon']);

    // Act
    const [code] = await once(child, 'exit');

    // Assess
    expect(code).toBe(2);
  }, 15_000);

  it('refuses a negative number in one line naming the flag and the value', async () => {
    // Act
    const { code, stderr } = await finished(runCli(['--latency-ms', '-5']));

    // Assess
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      '--latency-ms must be a whole number >= 0, got "-5" (npm run emulator -- --help lists the flags)',
    ]);
  }, 15_000);

  it('prints its usage for --help and exits 0', async () => {
    // Act
    const { code, stdout } = await finished(runCli(['--help']));

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: npm run emulator -- /);
    expect(stdout).toContain('--verbose');
    expect(stdout).toMatch(/^ {2}events {3}CreateEventBus, DescribeEventBus, .*ListEventBuses,/m);
    expect(stdout).toMatch(/^ {2}schemas {2}CreateDiscoverer, /m);
  }, 15_000);

  it('refuses an unknown flag in one line with exit code 2', async () => {
    // Act
    const { code, stdout, stderr } = await finished(runCli(['--bogus']));

    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([expect.stringContaining("Unknown option '--bogus'")]);
  }, 15_000);

  it('says in one line, exit code 1, that the port is taken', async () => {
    // Prepare
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;

    try {
      // Act
      const { code, stderr } = await finished(runCli(['--port', String(port)]));

      // Assess
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toEqual([
        `Port ${port} is taken: stop what holds it, or pick another with --port N (0 picks a free one).`,
      ]);
    } finally {
      holder.close();
    }
  }, 15_000);

  it('logs one line per request with --verbose', async () => {
    // Prepare
    const child = runCli(['--port', '0', '--verbose']);
    let log = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      log += chunk.toString('utf8');
    });
    while (!/\n.*\n/.test(log)) await once(child.stdout as NodeJS.ReadableStream, 'data');
    const [listening] = log.split('\n');
    log = '';

    // Act
    await (await fetch(`${urlIn(listening)}/v1/discoverers/id/nope`)).arrayBuffer();
    await (await fetch(`${urlIn(listening)}/v1/discoverers`)).arrayBuffer();
    for (let wait = 0; wait < 50 && log.split('\n').length < 3; wait += 1) await sleep(100);

    // Assess
    expect(log.trim().split('\n')).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} schemas DescribeDiscoverer 404 NotFoundException$/),
      expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} schemas ListDiscoverers 200$/),
    ]);
  }, 15_000);

  it('stops and frees its port when the npm that started it is stopped (kill $!)', async () => {
    // Prepare: npm run emulator as a shell's `npm run emulator &` would start it, in a process group of its own.
    const npm = spawn('npm', ['run', '--silent', 'emulator', '--', '--port', '0'], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    groupLeaders.push(npm);
    const [listening] = await firstLines(npm, 1);
    const port = Number(new URL(urlIn(listening) ?? 'http://x:0').port);
    expect(port).toBeGreaterThan(0);

    // Act: signal npm only, as `kill $!` does.
    npm.kill('SIGTERM');
    await once(npm, 'exit');

    // Assess
    expect(await portFreed(port, 10_000)).toBe(true);
  }, 30_000);

  it('throttles calls beyond --rate with the service error AWS answers', async () => {
    // Prepare (one call a second: the second comes within it)
    const child = runCli(['--port', '0', '--rate', '1']);
    const url = urlIn((await firstLines(child, 2))[0]);

    // Act
    const first = await fetch(`${url}/v1/discoverers`);
    const second = await fetch(`${url}/v1/discoverers`);

    // Assess
    expect([first.status, second.status]).toEqual([200, 429]);
    expect(second.headers.get('x-amzn-errortype')).toMatch(/^TooManyRequestsException/);
  }, 15_000);

  it('refuses a --rate that is not calls per second with exit code 2', async () => {
    // Prepare
    const child = runCli(['--rate', 'fast']);

    // Act
    const [code] = await once(child, 'exit');

    // Assess
    expect(code).toBe(2);
  }, 15_000);
});
