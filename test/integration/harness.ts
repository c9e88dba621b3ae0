import { type Emulator, type EmulatorOptions, startEmulator } from '../../scripts/emulator';
import { loadHandler } from '../../scripts/lib/load-handler';
import { type Invocation, LocalCloudFormation } from '../../scripts/lib/local-cloudformation';
import { registerSignature, scanForSignatures } from '../support/signature-guard';

export type Harness = {
  emulator: Emulator;
  cloudFormation: LocalCloudFormation;
  /** Every invocation so far, to check that no output ever carried a ResponseURL signature. */
  invocations: Invocation[];
  create(properties: Record<string, unknown>, timeoutMs?: number): Promise<Invocation>;
  update(id: string, properties: Record<string, unknown>, old: Record<string, unknown>): Promise<Invocation>;
  delete(id: string, properties?: Record<string, unknown>): Promise<Invocation>;
  close(): Promise<void>;
};

export const LOGICAL_ID = 'Bus';

/**
 * The handler (see loadHandler), against the emulator over real HTTP, with requests
 * played by LocalCloudFormation over a loopback ResponseURL. One per test file: the bundle keeps its clients.
 */
export const startHarness = async (options: EmulatorOptions = {}): Promise<Harness> => {
  const emulator = await startEmulator(options);
  process.env.AWS_ENDPOINT_URL = emulator.url;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  // A hung call is abandoned after a second here (5 s in Lambda), so hang tests stay short.
  process.env.GITHUB_EVENT_BUS_REQUEST_TIMEOUT_MS = '1000';
  const cloudFormation = new LocalCloudFormation(await loadHandler());
  await cloudFormation.start();
  const invocations: Invocation[] = [];
  const record = async (pending: Promise<Invocation>): Promise<Invocation> => {
    const invocation = await pending;
    registerSignature(signatureOf(invocation));
    scanForSignatures(invocation.output);
    invocations.push(invocation);
    return invocation;
  };
  return {
    emulator,
    cloudFormation,
    invocations,
    create: (properties, timeoutMs) =>
      record(cloudFormation.send('Create', LOGICAL_ID, properties, timeoutMs ? { timeoutMs } : {})),
    update: (id, properties, old) =>
      record(cloudFormation.send('Update', LOGICAL_ID, properties, { physicalResourceId: id, oldProperties: old })),
    delete: (id, properties = {}) =>
      record(cloudFormation.send('Delete', LOGICAL_ID, properties, { physicalResourceId: id })),
    close: async () => {
      await cloudFormation.stop();
      await emulator.close();
    },
  };
};

/** The single answer of an invocation; fails the test if there was not exactly one. */
export const answerOf = (invocation: Invocation) => {
  expect(invocation.answers).toHaveLength(1);
  return invocation.answers[0] as NonNullable<Invocation['answers'][0]>;
};

export const signatureOf = (invocation: Invocation): string =>
  new URL(String(invocation.event.ResponseURL)).searchParams.get('X-Amz-Signature') ?? '';

/** Names of what the emulator holds: buses (with the rules on them) and discoverers. */
export const leftovers = (emulator: Emulator): string[] => [
  ...emulator.buses().map((bus) => `bus ${bus.name}`),
  ...emulator.discoverers().map((discoverer) => `discoverer ${discoverer.id}`),
];
