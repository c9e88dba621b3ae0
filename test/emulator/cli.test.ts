import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

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

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
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

  it('refuses a flag value that is not a whole number with exit code 2', async () => {
    // Prepare
    const child = runCli(['--latency-ms', 'soon']);

    // Act
    const [code] = await once(child, 'exit');

    // Assess
    expect(code).toBe(2);
  }, 15_000);

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
