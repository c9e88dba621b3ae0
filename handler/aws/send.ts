import type { $Command } from '@aws-sdk/client-eventbridge';

// biome-ignore lint/suspicious/noExplicitAny: the two service clients share no narrower command type than this.
type AnyCommand<Input extends object, Output extends object> = $Command<Input, Output & { $metadata: object }, any>;
type AnyClient = { send(command: never, options: { abortSignal: AbortSignal }): Promise<unknown> };

/** Every AWS call goes through here, abortable with the request (clients.ts logs each one). */
export const send = async <Input extends object, Output extends object>(
  client: AnyClient,
  command: AnyCommand<Input, Output>,
  signal: AbortSignal,
): Promise<Output> => (await client.send(command as never, { abortSignal: signal })) as Output;
