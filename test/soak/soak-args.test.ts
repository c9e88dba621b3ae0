// npm run soak's flags and its line for a failing history: a flag it cannot use is one line (and exit 2 in the
// CLI), never a stack trace; a failing history's line is all it takes to replay it.
import { UsageError } from '../../scripts/lib/cli-args';
import { KNOWN_BUG_NAMES } from '../../scripts/lib/histories/known-bugs';
import type { HistoryResult } from '../../scripts/lib/histories/run';
import { failureLine, parseSoakArgs, shapingFlags } from '../../scripts/soak';

describe('npm run soak flags', () => {
  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--histories', '0'], '--histories must be a whole number >= 1, got "0"'],
    [['--seed', '1.5'], '--seed must be a whole number from 0 to 2147483647, got "1.5"'],
    [['--seed=-7'], '--seed must be a whole number from 0 to 2147483647, got "-7"'],
    [['--seed', '2147483648'], '--seed must be a whole number'],
    [['--path', '3'], '--path needs the --seed it came with'],
    [['--seed', '1', '--path', '3:1'], '--path must be a path as a failing history'],
    [['--without', 'clock-skew,nope'], '--without: unknown known bug nope'],
    [['--lambda-ms', '1000'], '--lambda-ms must be a whole number >= 2000, got "1000"'],
  ])('refuses %j with a usage error saying what is wrong', (args, message) => {
    // Act & Assess
    expect(() => parseSoakArgs(args)).toThrow(UsageError);
    expect(() => parseSoakArgs(args)).toThrow(message);
  });

  it('holds every known bug by default, and none without all of them', () => {
    // Act
    const all = parseSoakArgs([]);
    const none = parseSoakArgs(['--without', 'all']);

    // Assess
    expect(all !== 'help' && [...all.knownBugs]).toEqual(KNOWN_BUG_NAMES);
    expect(none !== 'help' && [...none.knownBugs]).toEqual([]);
  });

  it('replays one history from the seed and path its line names', () => {
    // Act
    const options = parseSoakArgs(['--seed', '7', '--path', '12']);

    // Assess
    expect(options).toMatchObject({ seed: 7, path: '12' });
  });
});

describe('the line for a failing history', () => {
  it.each([
    [[], ''],
    [['--without', 'all'], ' --without all'],
    [['--without', 'clock-skew,cancelled-create', '--steps', '4'], ' --without cancelled-create,clock-skew --steps 4'],
    [['--lambda-ms', '5000'], ' --lambda-ms 5000'],
  ])('carries the flags of %j that shape histories, for the replay', (args, flags) => {
    // Act
    const options = parseSoakArgs(args);

    // Assess
    expect(options !== 'help' && shapingFlags(options)).toBe(flags);
  });

  it('names the flags that replay it, the first violation and how many more there are', () => {
    // Prepare
    const result: HistoryResult = {
      seed: 5,
      path: '3',
      violations: [
        { invariant: 'leftover', message: 'step 2 (delete A once): stack A’s bus history-a left' },
        { invariant: 'kept', message: 'step 3: gone' },
      ],
      transcript: [],
      coverage: {},
      ms: 1,
    };

    // Act
    const line = failureLine(result);

    // Assess
    expect(line).toBe(
      'FAIL --seed 5 --path 3: leftover: step 2 (delete A once): stack A’s bus history-a left (+1 more)',
    );
  });
});
