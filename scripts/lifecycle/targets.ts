import { connect } from 'node:net';
import { createInterface } from 'node:readline/promises';
import { DescribeEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { explainAwsFailure, findAwsAccess } from '../lib/aws-access';
import { StopError, UsageError } from '../lib/cli-args';
import { interruption } from './interruption';

/** Where the run plays its stack: the endpoint built into this process, another endpoint, or AWS. */
export type Mode = { kind: 'embedded' } | { kind: 'endpoint'; url: string } | { kind: 'aws'; yes: boolean };

export const checkEndpoint = (raw: string): void => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--endpoint must be a URL such as http://127.0.0.1:4599, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--endpoint must be an http:// or https:// URL, got "${raw}"`);
  }
};

/** Asks on stderr (stdout stays the document under --json); no answer (stdin at its end) is a no. */
export const confirm = async (question: string): Promise<boolean> => {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  interruption.asking = true;
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      prompt.once('close', () => resolve(''));
      prompt.once('SIGINT', () => reject(new StopError('Interrupted at the question: nothing was created.')));
      prompt.question(`${question} [y/N] `).then(resolve, reject);
    });
    // Typed answers echo their newline; piped ones do not.
    if (!process.stdin.isTTY) process.stderr.write('\n');
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    interruption.asking = false;
    prompt.close();
  }
};

/**
 * The account the credentials act in, from the ARN of its default bus (one read). The handler names a bus's ARN from
 * the account of the function it runs as, so the local CloudFormation must invoke it as a function of that account.
 */
export const accountOf = async (): Promise<string> => {
  const client = new EventBridgeClient({});
  try {
    // The first call that uses the credentials: expired, refused or unreachable ends here, in one line.
    const { Arn } = await client.send(new DescribeEventBusCommand({ Name: 'default' })).catch((error: unknown) => {
      throw new StopError(`--aws: ${explainAwsFailure(error, 'DescribeEventBus')}. Nothing was created.`);
    });
    const account = Arn?.split(':')[4];
    if (!account)
      throw new StopError('--aws: DescribeEventBus named no account for the default bus. Nothing was created.');
    return account;
  } finally {
    client.destroy();
  }
};

/** The region of the SDK's default chain; one line if it or the credentials are missing. */
export const checkAwsAccess = async (): Promise<string> => {
  const { region, missing } = await findAwsAccess();
  if (missing.length > 0 || !region) throw new StopError(`--aws: ${missing.join('; ')}. Nothing was created.`);
  return region;
};

/** A TCP connection will do: it shows something listens there before five requests fail one by one. */
export const checkEndpointAnswers = async (raw: string): Promise<void> => {
  const url = new URL(raw);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  try {
    const socket = connect({ host, port, timeout: 5_000 });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
      socket.once('timeout', () => reject(Object.assign(new Error('timed out'), { code: 'no answer in 5 s' })));
    }).finally(() => socket.destroy());
  } catch (error) {
    const cause = (error as { code?: string }).code ?? (error as Error).message;
    throw new StopError(
      `Nothing answers at ${raw} (${cause}): start an endpoint there (npm run emulator -- --port N), or leave out` +
        ' --endpoint to use the built-in one.',
    );
  }
};
