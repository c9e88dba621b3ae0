// What the project's command-line tools (npm start, emulator, bench, sample-event) share about their flags: a
// flag they cannot use ends in one line and exit code 2, never in a stack trace.
import { type ParseArgsConfig, parseArgs } from 'node:util';

/** A flag the command cannot use: the command prints the message in one line and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** The flags' values; an unknown flag, or a value where none belongs, is a UsageError. */
export const readFlags = <const O extends Options>(args: string[], options: O) => {
  try {
    return parseArgs({ args, options }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
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
