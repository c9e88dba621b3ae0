import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchemasClient } from '@aws-sdk/client-schemas';
import { log } from '../log';
import { DeadlineRetryStrategy } from './retry';

// A hung AWS request is abandoned after this long and retried by the SDK (TimeoutError is transient).
const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

/** GITHUB_EVENT_BUS_REQUEST_TIMEOUT_MS when it is a positive number of ms (tests shorten it), else 5 s. */
export const requestTimeoutMs = (): number => {
  const configured = Number(process.env.GITHUB_EVENT_BUS_REQUEST_TIMEOUT_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_REQUEST_TIMEOUT_MS;
};

// Region, credentials and endpoints (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_EVENTBRIDGE, AWS_ENDPOINT_URL_SCHEMAS)
// come from the SDK's standard chains; nothing here names a region or an endpoint.
const clientConfig = () => ({
  // Retries last as long as the request's time does (its AbortSignal ends them), not a fixed number of attempts.
  retryStrategy: new DeadlineRetryStrategy((error) => failedOperation(error)),
  requestHandler: {
    connectionTimeout: 2_000,
    requestTimeout: requestTimeoutMs(),
    // Without this flag requestTimeout only logs a warning and the request keeps hanging.
    throwOnRequestTimeout: true,
  },
});

// Which AWS operation an error came from, for the FAILED Reason; a WeakMap leaves the SDK's error untouched.
const operations = new WeakMap<object, string>();

export const failedOperation = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null ? operations.get(error) : undefined;

const statusOf = (error: unknown): number | undefined =>
  (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;

const attemptsOf = (error: unknown): number =>
  (error as { $metadata?: { attempts?: number } } | null)?.$metadata?.attempts ?? 1;

const isRefusal = (error: unknown): boolean => {
  const status = statusOf(error);
  return status !== undefined && status >= 400 && status < 500;
};

// Failed calls seen through a client, each with whether AWS refused every attempt it answered and answered them all.
const refusedCalls = new WeakMap<object, boolean>();

/**
 * Whether a failed call may have taken effect: false only when AWS answered every attempt with a refusal (a 4xx:
 * throttled, invalid, already exists), so nothing was made. A 5xx, a timeout, a dropped connection or an abort
 * mid-attempt leave it unknown. An error no client here saw (a mocked client in tests) is judged by its own
 * metadata: one attempt, refused.
 */
export const mayHaveTakenEffect = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return true;
  const refused = refusedCalls.get(error);
  return refused === undefined ? !(isRefusal(error) && attemptsOf(error) <= 1) : !refused;
};

type Next = (args: unknown) => Promise<unknown>;
type Middleware = (next: Next, context: { commandName?: string; githubEventBusAttempts?: boolean[] }) => Next;
// Both clients' stacks accept this initialize-step middleware; their generic types differ only by service.
type Observable = { middlewareStack: object };

const operationOf = (context: { commandName?: string }): string => String(context.commandName).replace(/Command$/, '');

/**
 * One log line per AWS call (its retries inside it), named by the SDK's own commandName: class names are
 * minified. Each attempt's error is marked with the operation too, for the retry strategy's log line.
 */
const observe = <Client extends Observable>(client: Client): Client => {
  const attempt: Middleware = (next, context) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      if (typeof error === 'object' && error !== null) operations.set(error, operationOf(context));
      context.githubEventBusAttempts?.push(isRefusal(error));
      throw error;
    }
  };
  const middleware: Middleware = (next, context) => async (args) => {
    const operation = operationOf(context);
    const started = Date.now();
    const refusals: boolean[] = [];
    context.githubEventBusAttempts = refusals;
    try {
      const output = await next(args);
      log('INFO', 'aws call', { operation, ms: Date.now() - started, outcome: 'ok' });
      return output;
    } catch (error) {
      log('INFO', 'aws call', { operation, ms: Date.now() - started, outcome: (error as Error).name });
      if (typeof error === 'object' && error !== null) {
        operations.set(error, operation);
        // An abort during a backoff ends the call with no attempt in flight: what was sent was still all refused.
        refusedCalls.set(error, refusals.length > 0 && refusals.every(Boolean));
      }
      throw error;
    }
  };
  (client.middlewareStack as { add(middleware: Middleware, options: object): void }).add(middleware, {
    step: 'initialize',
    name: 'githubEventBusObserve',
  });
  // Inside the retry middleware (finalizeRequest, high priority), so it sees every attempt.
  (client.middlewareStack as { add(middleware: Middleware, options: object): void }).add(attempt, {
    step: 'finalizeRequest',
    priority: 'low',
    name: 'githubEventBusObserveAttempt',
  });
  return client;
};

let eventBridge: EventBridgeClient | undefined;
let schemas: SchemasClient | undefined;

// Created on first use and kept for the life of the container, so a request that needs no AWS call pays nothing.
export const eventBridgeClient = (): EventBridgeClient => {
  eventBridge ??= observe(new EventBridgeClient(clientConfig()));
  return eventBridge;
};

export const schemasClient = (): SchemasClient => {
  schemas ??= observe(new SchemasClient(clientConfig()));
  return schemas;
};
