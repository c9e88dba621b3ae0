// npm run bench's flags: a flag it cannot use is one line (and exit 2 in the CLI), never a stack trace.
import { parseBenchArgs } from '../../scripts/bench';
import { UsageError } from '../../scripts/lib/cli-args';

describe('npm run bench flags', () => {
  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--runs', 'x'], '--runs must be a whole number >= 1, got "x"'],
    [['--latency-ms=-1'], '--latency-ms must be a whole number >= 0, got "-1"'],
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
});
