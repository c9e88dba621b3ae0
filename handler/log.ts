// Structured logs: one JSON line per step, so CloudWatch Logs Insights can filter on any field.
export type LogFields = Record<string, unknown>;

let context: LogFields = {};

/** Fields repeated on every line of the current invocation (request type, logical id, request id). */
export const setLogContext = (fields: LogFields): void => {
  context = fields;
};

const errorFields = (error: unknown): LogFields =>
  error instanceof Error ? { error: { name: error.name, message: error.message } } : { error: String(error) };

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
