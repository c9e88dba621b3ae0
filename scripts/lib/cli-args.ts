// What the project's command-line tools (npm start, emulator, bench, sample-event) share about how they end: a
// flag they cannot use ends in one line and exit code 2, an expected reason to stop in one line and exit code 1,
// never in a stack trace.
import { type ParseArgsConfig, parseArgs } from 'node:util';

/** A flag the command cannot use: the command prints the message in one line and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** An expected reason the command cannot go on (no endpoint, no credentials, ...): the message alone, exit 1. */
export class StopError extends Error {
  override readonly name = 'StopError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `--latency-ms -5` as `--latency-ms=-5`: the value the person meant, so that the flag's own check names what is
 * wrong with it. Node's parser would take "-5" for a flag and answer in three lines.
 */
const joinNegativeNumbers = (args: string[], options: Options): string[] => {
  const joined: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    const next = args[index + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : '';
    if (options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      index += 1;
    } else joined.push(arg);
  }
  return joined;
};

/** Node's parser message in one line; its "ambiguous" one is three, and names no value. */
const oneLine = (error: Error, args: string[]): string => {
  const flag = /^Option '(--[^' ]+)' argument is ambiguous/.exec(error.message)?.[1];
  if (flag) {
    const value = args[args.indexOf(flag) + 1];
    return `${flag} needs a value, and "${value}" looks like a flag (write ${flag}=${value} if it is the value)`;
  }
  return error.message.split('\n')[0] ?? error.message;
};

/** The flags' values; an unknown flag, or a value where none belongs, is a UsageError. */
export const readFlags = <const O extends Options>(args: string[], options: O) => {
  try {
    return parseArgs({ args: joinNegativeNumbers(args, options), options }).values;
  } catch (error) {
    throw new UsageError(oneLine(error as Error, args));
  }
};

/** A flag's whole-number value of at least `min`, or `fallback` when the flag is absent. */
export const wholeNumber = (flag: string, raw: string | undefined, fallback: number, min: number): number => {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < min) {
    throw new UsageError(`--${flag} must be a whole number >= ${min}, got "${raw}"`);
  }
  return value;
};
