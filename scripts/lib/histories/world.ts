import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchemasClient } from '@aws-sdk/client-schemas';
import { type Emulator, startEmulator } from '../../emulator';
import { type CfnHandler, type Invocation, LocalCloudFormation } from '../local-cloudformation';
import { STACKS, type StackKey } from './model';

/**
 * The real side of every history: one emulator, CloudFormation twice (two stacks, two StackIds) in front of one
 * handler, and SDK clients for what people change by hand. Histories run one after the other on it.
 */
export type World = {
  emulator: Emulator;
  stacks: Record<StackKey, LocalCloudFormation>;
  byHand: { events: EventBridgeClient; schemas: SchemasClient };
  /** How long the handler waits for one AWS call before it abandons and retries it. */
  requestTimeoutMs: number;
  /** Told of every delivery (the tests scan its output for ResponseURL signatures). */
  onInvocation: (invocation: Invocation) => void;
  /** Back to nothing: no resources, faults, rule linger or clock skew, no answers kept. */
  reset(): void;
  close(): Promise<void>;
};

export type WorldOptions = {
  requestTimeoutMs: number;
  onInvocation?: (invocation: Invocation) => void;
};

/**
 * Points the handler's SDK clients at the emulator. The handler makes its clients on first use and keeps them,
 * so this comes before its first request.
 */
const useEmulator = (emulator: Emulator, requestTimeoutMs: number): void => {
  process.env.AWS_ENDPOINT_URL = emulator.url;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  process.env.GITHUB_EVENT_BUS_REQUEST_TIMEOUT_MS = String(requestTimeoutMs);
  // The SDK's notice that future versions need Node 22 concerns this machine, not Lambda's nodejs24.x.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
};

export const startWorld = async (handler: CfnHandler, options: WorldOptions): Promise<World> => {
  const emulator = await startEmulator();
  useEmulator(emulator, options.requestTimeoutMs);
  const stacks = Object.fromEntries(
    STACKS.map((key) => [key, new LocalCloudFormation(handler, { stackName: `history-stack-${key.toLowerCase()}` })]),
  ) as Record<StackKey, LocalCloudFormation>;
  await Promise.all(STACKS.map((key) => stacks[key].start()));
  const client = { endpoint: emulator.url, region: 'us-east-1', maxAttempts: 1 };
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const byHand = {
    events: new EventBridgeClient({ ...client, credentials }),
    schemas: new SchemasClient({ ...client, credentials }),
  };
  return {
    emulator,
    stacks,
    byHand,
    requestTimeoutMs: options.requestTimeoutMs,
    onInvocation: options.onInvocation ?? (() => undefined),
    reset: () => {
      emulator.reset();
      emulator.setRuleLinger(0);
      emulator.setClockSkew(0);
      for (const key of STACKS) stacks[key].forgetAnswers();
    },
    close: async () => {
      byHand.events.destroy();
      byHand.schemas.destroy();
      await Promise.all(STACKS.map((key) => stacks[key].stop()));
      await emulator.close();
    },
  };
};
