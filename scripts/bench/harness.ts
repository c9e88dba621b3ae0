import { randomBytes } from 'node:crypto';
import type { Emulator } from '../emulator';
import { type CfnHandler, type Invocation, LocalCloudFormation } from '../lib/local-cloudformation';
import { loadBundle } from './bundle';

type RequestType = 'Create' | 'Update' | 'Delete';
export type Properties = Record<string, unknown>;

export type BenchRequest = {
  requestType: RequestType;
  logicalId: string;
  properties: Properties;
  physicalResourceId?: string;
  oldProperties?: Properties;
};

/** What an event starts from: a fresh bus name and logical id, so no event sees another's leftovers. */
export type EventContext = { name: string; logicalId: string; properties: Properties };

/** A bus named `name` with a description, a started discoverer and two user tags: what every section plays. */
export const benchContext = (name: string, logicalId: string): EventContext => ({
  name,
  logicalId,
  properties: {
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:github-event-bus',
    EventBusName: name,
    Description: 'Benchmark bus',
    DiscovererState: 'STARTED',
    Tags: [
      { Key: 'app', Value: 'bench' },
      { Key: 'team', Value: 'platform' },
    ],
  },
});

const sendRequest = (cloudFormation: LocalCloudFormation, request: BenchRequest): Promise<Invocation> =>
  cloudFormation.send(request.requestType, request.logicalId, request.properties, request);

export const create = ({ logicalId, properties }: EventContext): BenchRequest => ({
  requestType: 'Create',
  logicalId,
  properties,
});

export const remove = (context: EventContext): BenchRequest => ({
  requestType: 'Delete',
  logicalId: context.logicalId,
  properties: context.properties,
  physicalResourceId: context.name,
});

/** Environment the bundle's SDK clients read when they are first created: the emulator, fake credentials. */
const withEmulatorEnv = async <T>(url: string, work: () => Promise<T>): Promise<T> => {
  const names = ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;
  const saved = names.map((name) => process.env[name]);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
  });
  try {
    return await work();
  } finally {
    names.forEach((name, index) => {
      const value = saved[index];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    });
  }
};

export type Player = {
  send(request: BenchRequest): Promise<Invocation>;
  /** A fresh bus name and logical id per key, unique to this run, so no request sees another's leftovers. */
  contextFor(key: string): EventContext;
};

/**
 * Plays requests through a fresh copy of the built bundle (its SDK clients bind to the endpoint of their first
 * call: this emulator's), after one Create and Delete that warm the container: creating the SDK clients and first
 * connections is cold-start cost, which its own section measures.
 */
export const playAgainst = async <T>(
  emulator: Emulator,
  bundlePath: string | undefined,
  work: (player: Player) => Promise<T>,
): Promise<T> =>
  withEmulatorEnv(emulator.url, async () => {
    const { handler } = (await loadBundle(bundlePath)) as { handler: CfnHandler };
    const cloudFormation = new LocalCloudFormation(handler);
    await cloudFormation.start();
    const tag = randomBytes(3).toString('hex');
    const player: Player = {
      send: (request) => sendRequest(cloudFormation, request),
      contextFor: (key) => benchContext(`bench-${tag}-${key}`, `Bench${key.replace(/[^a-z0-9]/gi, '')}`),
    };
    try {
      const warm = player.contextFor('warm');
      await player.send(create(warm));
      await player.send(remove(warm));
      return await work(player);
    } finally {
      await cloudFormation.stop();
    }
  });
