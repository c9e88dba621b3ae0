import fc from 'fast-check';
import { MAX_USER_TAGS } from '../../../handler/resource/properties';

/** ResourceProperties as CloudFormation sends them: every scalar a string. */
export type RawProperties = Record<string, unknown>;
type Tag = { Key: string; Value: string };

/** The bus names histories use: few, so that renames, the two stacks and buses made by hand collide. */
export const BUS_NAMES = ['history-a', 'history-b', 'history-c'] as const;

const queue = (name: string): string => `arn:aws:sqs:us-east-1:123456789012:${name}`;

// The most user tags a resource allows beside its ownership tags and mark; the second set renames one key, so on
// the discoverer (four tags of ours) an Update between them passes the 50-tag limit unless tags are removed before
// they are added.
const wideTags = (renamed: boolean): Tag[] =>
  Array.from({ length: MAX_USER_TAGS }, (_, index) => ({
    Key: renamed && index === 0 ? 'k-renamed' : `k${index}`,
    Value: 'v',
  }));

/** The values histories give each property besides EventBusName; undefined leaves it out. */
export const PROPERTY_VALUES: Record<string, readonly unknown[]> = {
  Description: [undefined, '', 'runner events', 'runner events, renamed'],
  DiscovererDescription: [undefined, '', 'github.com events'],
  DiscovererState: [undefined, 'STARTED', 'STOPPED', 'STOPPED'],
  CrossAccount: [undefined, 'true', 'false'],
  Tags: [
    undefined,
    [],
    [{ Key: 'team', Value: 'ci' }],
    [
      { Key: 'team', Value: 'platform' },
      { Key: 'env', Value: 'prod' },
    ],
    wideTags(false),
    wideTags(true),
  ],
  LogConfig: [undefined, { Level: 'INFO' }, { IncludeDetail: 'FULL', Level: 'ERROR' }],
  DeadLetterConfig: [undefined, { Arn: queue('bus-dead-letters') }, { Arn: queue('bus-dead-letters-2') }],
  // CloudFormation's own: a short one leaves the work half a second (see handler/cfn/deadline.ts).
  ServiceTimeout: [undefined, '2', '60'],
  AdoptExisting: [undefined, 'true'],
};

const PROPERTY_KEYS = Object.keys(PROPERTY_VALUES);

/** Left out more often than not, so that most histories stay close to what templates hold. */
const valueArb = (key: string): fc.Arbitrary<unknown> => {
  const [absent, ...given] = PROPERTY_VALUES[key] as unknown[];
  return fc.oneof({ weight: 2, arbitrary: fc.constant(absent) }, { weight: 1, arbitrary: fc.constantFrom(...given) });
};

/** Drops the members that are undefined: CloudFormation leaves an absent property out of the request. */
export const compact = (properties: RawProperties): RawProperties =>
  Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== undefined));

export const busNameArb = (): fc.Arbitrary<string> => fc.constantFrom(...BUS_NAMES);

export const propertiesArb = (): fc.Arbitrary<RawProperties> =>
  fc
    .record({ EventBusName: busNameArb(), ...Object.fromEntries(PROPERTY_KEYS.map((key) => [key, valueArb(key)])) })
    .map(compact);

/** What an Update changes: each member set (undefined: removed); members not named stay. */
export type Changes = Record<string, unknown>;

/** A random subset of the properties, each to a random value; EventBusName (a replacement) now and then. */
export const changesArb = (): fc.Arbitrary<Changes> =>
  fc
    .record(
      {
        EventBusName: fc.option(busNameArb(), { nil: null, freq: 3 }),
        ...Object.fromEntries(PROPERTY_KEYS.map((key) => [key, fc.option(valueArb(key), { nil: null, freq: 2 })])),
      },
      { requiredKeys: [] },
    )
    .map((changes) => Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== null)));

export const applyChanges = (properties: RawProperties, changes: Changes): RawProperties =>
  compact({ ...properties, ...changes });

export const sameProperties = (a: RawProperties, b: RawProperties): boolean =>
  JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

const sorted = (properties: RawProperties): [string, unknown][] =>
  Object.entries(properties).sort(([a], [b]) => a.localeCompare(b));

/** A short, readable form for transcripts: long tag lists by their length. */
export const showProperties = (properties: RawProperties): string =>
  JSON.stringify(properties, (key, value) =>
    key === 'Tags' && Array.isArray(value) && value.length > 3 ? `${value.length} tags` : value,
  );

export const nameOf = (properties: RawProperties): string => String(properties.EventBusName);

/** The user's tags as a map (the request's order does not matter to AWS). */
export const tagMap = (tags: unknown): Record<string, string> =>
  Object.fromEntries(((tags as Tag[] | undefined) ?? []).map((tag) => [tag.Key, tag.Value]));
