import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResponseBody } from '../../handler/cfn/respond';

export type LogLine = Record<string, unknown> & { level?: string; message?: string };
export type CfnHandler = (event: unknown, context: LambdaContextLike) => Promise<unknown>;
type LambdaContextLike = {
  getRemainingTimeInMillis(): number;
  invokedFunctionArn: string;
  logGroupName: string;
  logStreamName: string;
};

/** The body CloudFormation reads from the ResponseURL: the handler's own response type. */
export type CfnAnswer = ResponseBody;

export type Invocation = {
  event: Record<string, unknown>;
  /** Every body PUT to this request's ResponseURL (CloudFormation accepts exactly one). */
  answers: CfnAnswer[];
  /** Epoch ms each of the answers arrived, in the same order. */
  answeredAt: number[];
  /** Epoch ms the invocation started: the Lambda's remaining time counts from here. */
  startedAt: number;
  /** Which delivery of its request this was (see deliver); undefined for invoke and send. */
  delivery?: string;
  /** Raw header values of the first PUT, as CloudFormation's S3 bucket would see them. */
  headers: Record<string, string | string[] | undefined>;
  /** The AWS operations the handler called, in order, from its `aws call` log lines. */
  awsCalls: string[];
  logs: LogLine[];
  /** Everything the handler wrote to stdout and stderr, verbatim. */
  output: string;
  ms: number;
};

export type RequestOptions = {
  physicalResourceId?: string;
  oldProperties?: Record<string, unknown>;
  /** The Lambda's remaining time when the request arrives. */
  timeoutMs?: number;
};

/** An answer PUT to a request's ResponseURL, with the delivery that sent it (see deliver) and when it came. */
export type ReceivedAnswer = { answer: CfnAnswer; delivery?: string; at: number };

type Received = { body: string; headers: Record<string, string | string[] | undefined>; delivery?: string; at: number };

// A query parameter of the local ResponseURL only, naming which delivery of a request sent an answer.
const DELIVERY_PARAM = 'x-local-delivery';
const GENERATED_ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * Plays CloudFormation's side of a custom resource: builds each request as CloudFormation does, serves its
 * pre-signed-looking ResponseURL on loopback, invokes the handler in this process and collects its answer.
 */
export class LocalCloudFormation {
  readonly stackName: string;
  readonly stackId: string;
  private server?: Server;
  private url = '';
  private readonly functionArn: string;
  private readonly received = new Map<string, Received[]>();
  private deliveries = 0;

  /**
   * Each instance is a stack of its own, named uniquely unless `stackName` is given: two runs against one endpoint
   * are two stacks, and the ownership tags (which carry the StackId) tell what each made.
   */
  constructor(
    private readonly handler: CfnHandler,
    {
      stackName = `github-event-bus-local-${randomBytes(4).toString('hex')}`,
      region = 'us-east-1',
      accountId = '123456789012',
    } = {},
  ) {
    this.stackName = stackName;
    this.stackId = `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/${randomUUID()}`;
    // The handler names a bus's ARN from the account and region of the function it runs as.
    this.functionArn = `arn:aws:lambda:${region}:${accountId}:function:${stackName}-function`;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const target = new URL(request.url ?? '/', 'http://localhost');
        const key = target.pathname.split('/').pop() ?? '';
        const list = this.received.get(key) ?? [];
        list.push({
          body: Buffer.concat(chunks).toString('utf8'),
          headers: request.headers,
          delivery: target.searchParams.get(DELIVERY_PARAM) ?? undefined,
          at: Date.now(),
        });
        this.received.set(key, list);
        response.writeHead(request.method === 'PUT' ? 200 : 405).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** One request, answered: the handler's promise has settled and its PUT has arrived. */
  async send(
    requestType: 'Create' | 'Update' | 'Delete',
    logicalResourceId: string,
    properties: Record<string, unknown>,
    options: RequestOptions = {},
  ): Promise<Invocation> {
    return this.invoke(this.request(requestType, logicalResourceId, properties, options), options.timeoutMs ?? 300_000);
  }

  /** A request as CloudFormation builds it, with a fresh RequestId and ResponseURL; nothing is sent yet. */
  request(
    requestType: 'Create' | 'Update' | 'Delete',
    logicalResourceId: string,
    properties: Record<string, unknown>,
    options: Omit<RequestOptions, 'timeoutMs'> = {},
  ): Record<string, unknown> {
    const requestId = randomUUID();
    return {
      RequestType: requestType,
      ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:github-event-bus',
      ResponseURL: `${this.url}/cloudformation-response/${requestId}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=${randomBytes(32).toString('hex')}`,
      StackId: this.stackId,
      RequestId: requestId,
      LogicalResourceId: logicalResourceId,
      ResourceType: 'Custom::GithubEventBus',
      ResourceProperties: properties,
      ...(options.physicalResourceId === undefined ? {} : { PhysicalResourceId: options.physicalResourceId }),
      ...(options.oldProperties === undefined ? {} : { OldResourceProperties: options.oldProperties }),
    };
  }

  /**
   * One delivery of a request, which Lambda may make more than once (twice, at once, or late). Every delivery
   * sees the event as CloudFormation sent it but for a marker in its ResponseURL's query, which the handler
   * passes along untouched: it tells which delivery sent which answer. The answers stay for answersTo.
   */
  async deliver(event: Record<string, unknown>, timeoutMs = 300_000): Promise<Invocation> {
    this.deliveries += 1;
    const delivery = String(this.deliveries);
    const url = new URL(String(event.ResponseURL));
    url.searchParams.set(DELIVERY_PARAM, delivery);
    return this.run({ ...event, ResponseURL: url.toString() }, timeoutMs, delivery);
  }

  /** Every answer to the request's deliveries so far, in the order they arrived: CloudFormation acts on the first. */
  answersTo(requestId: string): ReceivedAnswer[] {
    return (this.received.get(requestId) ?? []).map(({ body, delivery, at }) => ({
      answer: JSON.parse(body) as CfnAnswer,
      delivery,
      at,
    }));
  }

  /** Forgets the answers deliveries received (answersTo keeps them until then). */
  forgetAnswers(): void {
    this.received.clear();
  }

  /**
   * The physical id CloudFormation makes up for a resource whose Create it gave up on (cancelled, or answered
   * without one): `<stack name>-<logical id>-<13 upper-case letters and digits>`.
   */
  generatedPhysicalId(logicalResourceId: string): string {
    const suffix = Array.from(
      randomBytes(13),
      (byte) => GENERATED_ID_CHARS[byte % GENERATED_ID_CHARS.length] as string,
    ).join('');
    return `${this.stackName}-${logicalResourceId}-${suffix}`;
  }

  /** Invokes the handler with any event (a malformed one too) and collects what it answered and logged. */
  async invoke(event: Record<string, unknown>, timeoutMs = 300_000): Promise<Invocation> {
    const key = String(event.RequestId ?? '');
    const invocation = await this.run(event, timeoutMs);
    this.received.delete(key);
    return invocation;
  }

  /** Runs the handler; its answers are those of the delivery named, or all the request's without one. */
  private async run(event: Record<string, unknown>, timeoutMs: number, delivery?: string): Promise<Invocation> {
    const started = Date.now();
    const context: LambdaContextLike = {
      getRemainingTimeInMillis: () => Math.max(0, started + timeoutMs - Date.now()),
      invokedFunctionArn: this.functionArn,
      // No log group exists locally, so a reason must not name one: the handler's lines are in Invocation.logs
      // (npm start prints a failing step's). An empty name leaves "(logs: ...)" out of the reason.
      logGroupName: '',
      logStreamName: '',
    };
    const output = await captureOutput(() => this.handler(event, context));
    const puts = (this.received.get(String(event.RequestId ?? '')) ?? []).filter(
      (put) => delivery === undefined || put.delivery === delivery,
    );
    const logs = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as LogLine];
        } catch {
          return [];
        }
      });
    return {
      event,
      answers: puts.map((put) => JSON.parse(put.body) as CfnAnswer),
      answeredAt: puts.map((put) => put.at),
      startedAt: started,
      delivery,
      headers: puts[0]?.headers ?? {},
      awsCalls: logs.filter((line) => line.message === 'aws call').map((line) => String(line.operation)),
      logs,
      output,
      ms: Date.now() - started,
    };
  }
}

// Each capture's chunks, found from the async context that writes: requests run side by side (a storm of them)
// each collect their own output, and stdout and stderr are patched once while any capture is running.
const captures = new AsyncLocalStorage<string[]>();
let running = 0;
let restore: (() => void) | undefined;

const patchStreams = (): (() => void) => {
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  streams.forEach((stream, index) => {
    const original = originals[index] as typeof stream.write;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const sink = captures.getStore();
      if (!sink) return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
      sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof stream.write;
  });
  return () => {
    streams.forEach((stream, index) => {
      stream.write = originals[index] as typeof stream.write;
    });
  };
};

/**
 * Runs `work` with what it writes to stdout and stderr captured (and kept off the terminal); returns that. Output
 * of other work running meanwhile, outside any capture, still reaches the terminal.
 */
export const captureOutput = async (work: () => Promise<unknown>): Promise<string> => {
  const chunks: string[] = [];
  if (running++ === 0) restore = patchStreams();
  try {
    await captures.run(chunks, work);
  } finally {
    if (--running === 0) restore?.();
  }
  return chunks.join('');
};
