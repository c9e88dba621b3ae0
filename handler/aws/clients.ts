import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchemasClient } from '@aws-sdk/client-schemas';
import { log } from '../log';

// A hung AWS request is abandoned after this long and retried by the SDK (TimeoutError is transient).
const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
// Standard retry mode: exponential backoff with jitter for throttling, 5xx, timeouts and dropped connections.
const MAX_ATTEMPTS = 4;

const requestTimeoutMs = (): number => {
  const configured = Number(process.env.GITHUB_EVENT_BUS_REQUEST_TIMEOUT_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_REQUEST_TIMEOUT_MS;
};

// Region, credentials and endpoints (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_EVENTBRIDGE, AWS_ENDPOINT_URL_SCHEMAS)
// come from the SDK's standard chains; nothing here names a region or an endpoint.
const clientConfig = () => ({
  maxAttempts: MAX_ATTEMPTS,
  retryMode: 'standard',
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

type Next = (args: unknown) => Promise<unknown>;
type Middleware = (next: Next, context: { commandName?: string }) => Next;
// Both clients' stacks accept this initialize-step middleware; their generic types differ only by service.
type Observable = { middlewareStack: object };

/** One log line per AWS call (retries included), named by the SDK's own commandName: class names are minified. */
const observe = <Client extends Observable>(client: Client): Client => {
  const middleware: Middleware = (next, context) => async (args) => {
    const operation = String(context.commandName).replace(/Command$/, '');
    const started = Date.now();
    try {
      const output = await next(args);
      log('INFO', 'aws call', { operation, ms: Date.now() - started, outcome: 'ok' });
      return output;
    } catch (error) {
      log('INFO', 'aws call', { operation, ms: Date.now() - started, outcome: (error as Error).name });
      if (typeof error === 'object' && error !== null) operations.set(error, operation);
      throw error;
    }
  };
  (client.middlewareStack as { add(middleware: Middleware, options: object): void }).add(middleware, {
    step: 'initialize',
    name: 'githubEventBusObserve',
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
