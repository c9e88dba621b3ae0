// npm start and Ctrl-C (SIGINT) at any moment: it says what it does about it, and a second one stops it at once.
import { type Emulator, startEmulator } from '../../scripts/emulator';
import { collect, problemLines, start, stopChildren, until } from './start-process';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  emulator.setLatency(0);
});
afterEach(stopChildren);

const local = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };
const createArrived = () => emulator.calls.some((call) => call.operation === 'CreateEventBus');

describe('npm start, interrupted', () => {
  it('says so when Ctrl-C comes before anything was created, and exits 130', async () => {
    // Prepare: stdin is not a terminal, so the --aws question reads it and Ctrl-C reaches the process itself.
    const child = start(['--aws'], { PATH: process.env.PATH, HOME: __dirname, ...local });
    const output = collect(child);
    await until(() => output.stderr().includes('[y/N]'), 'question');

    // Act
    child.kill('SIGINT');
    const { code, stdout } = await output.done;

    // Assess
    expect(code).toBe(130);
    expect(stdout).toBe('');
    expect(problemLines(output.stderr()).at(-1)).toBe('SIGINT: nothing was created yet; stopping.');
  });

  it('says what it waits for and what it deletes, deletes it, and exits 130', async () => {
    // Prepare
    emulator.setLatency(300);
    const child = start(['--endpoint', emulator.url], { ...process.env, ...local });
    const output = collect(child);
    await until(createArrived, 'CreateEventBus call');

    // Act
    child.kill('SIGINT');
    const { code, stdout, stderr } = await output.done;

    // Assess
    expect(code).toBe(130);
    expect(problemLines(stderr)).toEqual([
      'SIGINT: waiting for the answer to Create (github-actions-event-bus), then deleting what it made, as deleting ' +
        'the stack would. Ctrl-C again stops at once.',
      'Interrupted (SIGINT) after 1 of 4 stack operations; its stack deleted what it had made.',
    ]);
    expect(stdout).toMatch(/Delete the stack \(cleanup\) {2}OK/);
    expect(stdout).toContain('Nothing left behind by this run (github-actions-event-bus is gone).');
    expect(emulator.buses()).toEqual([]);
  });

  it('stops at once on a second Ctrl-C, naming what may be left behind', async () => {
    // Prepare: every answer takes 3 s, so the Create is still waiting when the second Ctrl-C comes.
    emulator.setLatency(3_000);
    const child = start(['--endpoint', emulator.url], { ...process.env, ...local });
    const output = collect(child);
    await until(createArrived, 'CreateEventBus call');
    child.kill('SIGINT');
    await until(() => output.stderr().includes('Ctrl-C again stops at once.'), 'first answer to SIGINT');
    // Later than one keypress's two deliveries (from the terminal, and forwarded by npm), which count as one.
    await new Promise((resolve) => setTimeout(resolve, 400));

    // Act
    const second = Date.now();
    child.kill('SIGINT');
    const { code, stderr } = await output.done;

    // Assess
    expect(Date.now() - second).toBeLessThan(1_500);
    expect(code).toBe(130);
    expect(problemLines(stderr).at(-1)).toBe(
      'SIGINT again: stopping now, without cleaning up; may be left behind: what Create (github-actions-event-bus) ' +
        'made (not answered yet).',
    );
  });

  it('counts two signals that come together as one Ctrl-C', async () => {
    // Prepare
    emulator.setLatency(300);
    const child = start(['--endpoint', emulator.url], { ...process.env, ...local });
    const output = collect(child);
    await until(createArrived, 'CreateEventBus call');

    // Act: as one Ctrl-C at a terminal reaches npm start's node: from the terminal, and forwarded by npm.
    child.kill('SIGINT');
    child.kill('SIGINT');
    const { code } = await output.done;

    // Assess
    expect(code).toBe(130);
    expect(problemLines(output.stderr()).at(-1)).toMatch(/^Interrupted \(SIGINT\) after 1 of 4 stack operations;/);
    expect(emulator.buses()).toEqual([]);
  });
});
