// What `npm test` shows: a passing test's output held back, a failing one's shown.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');

describe('jest, as npm test runs it', () => {
  let stdout: string;
  let stderr: string;
  let code: number;
  beforeAll(async () => {
    // A jest of its own, on the fixture only, with the project's configuration; the SDK's switch unset, as in a shell.
    const env = { ...process.env };
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
    const run = await promisify(execFile)(
      process.execPath,
      [jest, '--testMatch', '**/test/tooling/output.fixture.ts'],
      {
        cwd: root,
        env,
      },
    ).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    ({ code, stdout, stderr } = run);
  });

  it('runs the fixture, whose second test fails, and ends with the summary', () => {
    expect(code).toBe(1);
    expect(stdout).toBe('\n1 passed, 1 failed\n');
  });

  it('does not show what a passing test wrote', () => {
    expect(`${stdout}${stderr}`).not.toContain('a line of a passing test');
  });

  it('shows what a failing test wrote, saying whose it is', () => {
    expect(stderr).toContain(
      '── output of "fails, having written a log line" ──\n' +
        '{"level":"ERROR","message":"a line of a failing test"}\n' +
        '── end of the output of "fails, having written a log line" ──\n',
    );
  });

  it('does not pass on the AWS SDK’s Node version warning', () => {
    expect(`${stdout}${stderr}`).not.toContain('NodeVersionSupportWarning');
  });
});
