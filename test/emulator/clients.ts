import { EventBridgeClient, type EventBridgeClientConfig } from '@aws-sdk/client-eventbridge';
import { SchemasClient, type SchemasClientConfig } from '@aws-sdk/client-schemas';
import { type Emulator, startEmulator } from '../../scripts/emulator';

export const CREDENTIALS = { accessKeyId: 'AKIDEMULATORTEST', secretAccessKey: 'emulator-test-secret' };

// One attempt by default: a test about retries says so explicitly.
export function eventBridgeClient(
  emulator: Emulator,
  config: Partial<EventBridgeClientConfig> = {},
): EventBridgeClient {
  return new EventBridgeClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: CREDENTIALS,
    maxAttempts: 1,
    ...config,
  });
}

export function schemasClient(emulator: Emulator, config: Partial<SchemasClientConfig> = {}): SchemasClient {
  return new SchemasClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: CREDENTIALS,
    maxAttempts: 1,
    ...config,
  });
}

/** Resolves with what the promise rejected with, or fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('Expected the call to fail, but it succeeded');
}

export function busArn(name: string, region = 'us-east-1'): string {
  return `arn:aws:events:${region}:123456789012:event-bus/${name}`;
}

export type StartedEmulator = { emulator: Emulator; events: EventBridgeClient; schemas: SchemasClient };

/**
 * One emulator and a client of each service for a whole test file, handed to `use` once started; every test
 * starts from an empty emulator with no latency, no rule linger, no clock skew and no rate limit.
 */
export function useEmulator(use: (started: StartedEmulator) => void): void {
  let started: StartedEmulator | undefined;
  beforeAll(async () => {
    const emulator = await startEmulator();
    started = { emulator, events: eventBridgeClient(emulator), schemas: schemasClient(emulator) };
    use(started);
  });
  afterEach(() => {
    started?.emulator.reset();
    started?.emulator.setLatency(0);
    started?.emulator.setRuleLinger(0);
    started?.emulator.setClockSkew(0);
    started?.emulator.setRateLimit(undefined);
    started?.emulator.setDiscovererQuota(undefined);
  });
  afterAll(async () => {
    started?.events.destroy();
    started?.schemas.destroy();
    await started?.emulator.close();
  });
}
