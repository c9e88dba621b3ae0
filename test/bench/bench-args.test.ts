// npm run bench's flags: a flag it cannot use is one line (and exit 2 in the CLI), never a stack trace.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseBenchArgs } from '../../scripts/bench';
import { UsageError } from '../../scripts/lib/cli-args';

describe('npm run bench flags', () => {
  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--runs', 'x'], '--runs must be a whole number >= 1, got "x"'],
    [['--latency-ms=-1'], '--latency-ms must be a whole number >= 0, got "-1"'],
    [['--latency-ms', '-1'], '--latency-ms must be a whole number >= 0, got "-1"'],
    [['--only', '--quick'], '--only needs a value, and "--quick" looks like a flag (write --only=--quick if it is'],
    [['--only', 'calls,nope'], '--only takes'],
  ])('refuses %j with a usage error saying what is wrong', (args, message) => {
    // Act & Assess
    expect(() => parseBenchArgs(args)).toThrow(UsageError);
    expect(() => parseBenchArgs(args)).toThrow(message);
  });

  it('reads whole numbers and keeps the defaults of the rest', () => {
    // Act
    const options = parseBenchArgs(['--quick', '--runs', '2']);
    // Assess
    expect(options).toMatchObject({ quick: true, runs: 2, latencyMs: 50 });
  });

  it('ends a bad flag in one line that says where the flags are, with exit code 2', () => {
    // Act
    const { status, stdout, stderr } = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--nope'], {
      cwd: join(__dirname, '..', '..'),
      encoding: 'utf8',
    });

    // Assess
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual(["Unknown option '--nope' (npm run bench -- --help lists the flags)"]);
  });
});
