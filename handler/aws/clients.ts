import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchemasClient } from '@aws-sdk/client-schemas';

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

let eventBridge: EventBridgeClient | undefined;
let schemas: SchemasClient | undefined;

// Created on first use and kept for the life of the container, so a request that needs no AWS call pays nothing.
export const eventBridgeClient = (): EventBridgeClient => {
  eventBridge ??= new EventBridgeClient(clientConfig());
  return eventBridge;
};

export const schemasClient = (): SchemasClient => {
  schemas ??= new SchemasClient(clientConfig());
  return schemas;
};
