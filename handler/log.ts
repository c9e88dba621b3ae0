// Structured logs: one JSON line per step, so CloudWatch Logs Insights can filter on any field.
export type LogFields = Record<string, unknown>;

let context: LogFields = {};

/** Fields repeated on every line of the current invocation (request type, logical id, request id). */
export const setLogContext = (fields: LogFields): void => {
  context = fields;
};

// String() throws on an object without a prototype; a log line or a FAILED reason must not.
export const textOf = (value: unknown): string => {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
};

/** At most `max` characters, cut between characters: never inside a surrogate pair. */
export const cutText = (text: string, max: number): string => Array.from(text).slice(0, max).join('');

// An Error, or an error-like { name, message } (as respond.ts logs), is logged as its name and message.
const errorFields = (error: unknown): LogFields => {
  if (typeof error !== 'object' || error === null || typeof (error as Error).message !== 'string') {
    return { error: textOf(error) };
  }
  const { name, message } = error as Error;
  return { error: { name: typeof name === 'string' ? name : 'Error', message } };
};

export const log = (level: 'INFO' | 'WARN' | 'ERROR', message: string, fields: LogFields = {}): void => {
  const { error, ...rest } = fields;
  const line = {
    level,
    timestamp: new Date().toISOString(),
    message,
    ...context,
    ...rest,
    ...(error === undefined ? {} : errorFields(error)),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
};
