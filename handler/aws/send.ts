import type { $Command } from '@aws-sdk/client-eventbridge';
import { log } from '../log';

// biome-ignore lint/suspicious/noExplicitAny: the two service clients share no narrower command type than this.
type AnyCommand<Input extends object, Output extends object> = $Command<Input, Output & { $metadata: object }, any>;
type AnyClient = { send(command: never, options: { abortSignal: AbortSignal }): Promise<unknown> };

// Which AWS operation an error came from, for the FAILED Reason; a WeakMap leaves the SDK's error untouched.
const operations = new WeakMap<object, string>();

export const failedOperation = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null ? operations.get(error) : undefined;

/** Every AWS call goes through here: abortable with the request, and logged as one line with its duration. */
export const send = async <Input extends object, Output extends object>(
  client: AnyClient,
  command: AnyCommand<Input, Output>,
  signal: AbortSignal,
): Promise<Output> => {
  const operation = command.constructor.name.replace(/Command$/, '');
  const started = Date.now();
  try {
    const output = (await client.send(command as never, { abortSignal: signal })) as Output;
    log('INFO', 'aws call', { operation, ms: Date.now() - started, outcome: 'ok' });
    return output;
  } catch (error) {
    log('INFO', 'aws call', { operation, ms: Date.now() - started, outcome: (error as Error).name });
    if (typeof error === 'object' && error !== null && !operations.has(error)) operations.set(error, operation);
    throw error;
  }
};
