// npm run sample-event's wrong turns, as a person types them: each ends in one line saying what to do.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** scripts/send-sample-event.ts in one process, with only the environment given (no AWS configuration). */
const sampleEvent = (args: string[], env: NodeJS.ProcessEnv) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/send-sample-event.ts', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: join(root, 'no-such-home'), ...env },
    encoding: 'utf8',
  });

const problemLines = (stderr: string) =>
  stderr
    .trim()
    .split('\n')
    .filter((line) => !line.startsWith('Note:'));

describe('npm run sample-event wrong turns', () => {
  it('ends a bad flag in one line and exit 2', () => {
    // Act
    const { status, stderr } = sampleEvent(['--bogus'], {});
    // Assess
    expect(status).toBe(2);
    expect(problemLines(stderr)).toEqual([expect.stringContaining("Unknown option '--bogus'")]);
  });

  it('ends a run without region or credentials in one line naming both and the local way, before any call', () => {
    // Act
    const { status, stderr } = sampleEvent(['--bus', 'github-actions-event-bus'], {});
    // Assess
    expect(status).toBe(1);
    expect(problemLines(stderr)).toEqual([
      expect.stringMatching(/^no AWS region: set AWS_REGION.*no AWS credentials.*or pass --endpoint URL/),
    ]);
  });

  it('says in one line, like the other tools and without an "Error:" label, that nothing answers at --endpoint', () => {
    // Act
    const { status, stderr } = sampleEvent(['--bus', 'runners', '--endpoint', 'http://127.0.0.1:1'], {});
    // Assess
    expect(status).toBe(1);
    expect(problemLines(stderr)).toEqual([
      'nothing answers at http://127.0.0.1:1: start it with npm run emulator (see README.md)',
    ]);
  });
});
