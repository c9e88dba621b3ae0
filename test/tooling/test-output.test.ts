// What `npm test` shows: a passing test's output held back, a failing one's shown; no colour codes into a pipe.
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

describe('the lint step of npm test', () => {
  it('writes no colour codes into a pipe', () => {
    // Prepare: the Biome command of lint:ci, as npm's shell runs it (tsc after it writes nothing when all is well).
    const scripts = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    const biome = scripts['lint:ci']?.replace(/ && tsc --noEmit$/, '') ?? '';
    expect(biome).toMatch(/^biome ci [^&]*(\$\(.*\))?[^&]*$/);

    // Act
    const run = spawnSync('sh', ['-c', biome], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}` },
    });

    // Assess
    expect(run.status).toBe(0);
    expect(`${run.stdout}${run.stderr}`).toMatch(/^Checked \d+ files in/);
    expect(`${run.stdout}${run.stderr}`).not.toContain('\u001b[');
  });
});
