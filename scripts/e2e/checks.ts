// What a stack operation left in the account, read from EventBridge and Schemas themselves: the bus, its tags and
// LogConfig, the discoverer, its tags and state, the managed rule, and the stack's outputs against all of them.
import {
  DescribeEventBusCommand,
  type DescribeEventBusResponse,
  type EventBridgeClient,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import {
  DescribeDiscovererCommand,
  type DescribeDiscovererResponse,
  NotFoundException,
  type SchemasClient,
} from '@aws-sdk/client-schemas';
import { BUS_LOGICAL_ID, type BusSpec } from './test-stack';

export type AccountClients = { events: EventBridgeClient; schemas: SchemasClient };

export type Checked = { problems: string[]; summary: string };

const OWNER_PREFIX = 'github-event-bus:';
const MANAGED_RULE_PREFIX = 'Schemas-events-event-bus-';

const describeBus = (events: EventBridgeClient, name: string): Promise<DescribeEventBusResponse | undefined> =>
  events.send(new DescribeEventBusCommand({ Name: name })).catch((error: unknown) => {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  });

const describeDiscoverer = (schemas: SchemasClient, id: string): Promise<DescribeDiscovererResponse | undefined> =>
  schemas.send(new DescribeDiscovererCommand({ DiscovererId: id })).catch((error: unknown) => {
    if (error instanceof NotFoundException) return undefined;
    throw error;
  });

const userTags = (tags: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(tags)
      .filter(([key]) => !key.startsWith(OWNER_PREFIX) && !key.toLowerCase().startsWith('aws:'))
      .sort(([a], [b]) => a.localeCompare(b)),
  );

const sameTags = (a: Record<string, string>, b: Record<string, string>): boolean =>
  JSON.stringify(userTags(a)) === JSON.stringify(userTags(b));

/** The tags of what the resource made: the user's, exactly, and the ownership tags naming this stack's resource. */
const tagProblems = (what: string, tags: Record<string, string>, spec: BusSpec, stackId: string): string[] => [
  ...(sameTags(tags, spec.tags)
    ? []
    : [`${what} tags are ${JSON.stringify(userTags(tags))}, expected ${JSON.stringify(userTags(spec.tags))}`]),
  ...(tags[`${OWNER_PREFIX}stack-id`] === stackId && tags[`${OWNER_PREFIX}logical-id`] === BUS_LOGICAL_ID
    ? []
    : [`${what} does not carry the ownership tags of ${BUS_LOGICAL_ID} in this stack`]),
];

/** The bus, discoverer and managed rule of `spec`, and every output of the stack against them. */
export const checkBus = async (
  { events, schemas }: AccountClients,
  spec: BusSpec,
  outputs: Record<string, string>,
  stackId: string,
): Promise<Checked> => {
  const bus = await describeBus(events, spec.name);
  if (!bus?.Arn) return { problems: [`bus ${spec.name} does not exist`], summary: '' };
  const discovererId = outputs.DiscovererId || `events-event-bus-${spec.name}`;
  const [busTagList, discoverer, rules] = await Promise.all([
    events.send(new ListTagsForResourceCommand({ ResourceARN: bus.Arn })),
    describeDiscoverer(schemas, discovererId),
    events.send(new ListRulesCommand({ EventBusName: spec.name, NamePrefix: MANAGED_RULE_PREFIX })),
  ]);
  const problems: string[] = [];
  const busTags = Object.fromEntries((busTagList.Tags ?? []).map((tag) => [String(tag.Key), String(tag.Value)]));
  problems.push(...tagProblems('bus', busTags, spec, stackId));
  const level = `${bus.LogConfig?.Level ?? 'OFF'}/${bus.LogConfig?.IncludeDetail ?? 'NONE'}`;
  const wanted = `${spec.logConfig?.Level ?? 'OFF'}/${spec.logConfig?.IncludeDetail ?? 'NONE'}`;
  if (level !== wanted) problems.push(`bus LogConfig is ${level}, expected ${wanted}`);

  if (!discoverer) problems.push(`discoverer ${discovererId} does not exist`);
  else {
    if (discoverer.SourceArn !== bus.Arn) problems.push(`discoverer is on ${discoverer.SourceArn}, not ${bus.Arn}`);
    if (discoverer.State !== spec.state) problems.push(`discoverer is ${discoverer.State}, expected ${spec.state}`);
    problems.push(...tagProblems('discoverer', discoverer.Tags ?? {}, spec, stackId));
  }

  const managed = (rules.Rules ?? []).filter((rule) => rule.Name?.startsWith(MANAGED_RULE_PREFIX));
  if (managed.length !== 1) problems.push(`${managed.length} managed rules on the bus, expected 1`);
  // A started discoverer's rule must be enabled; what a stopped one's shows is reported, not judged.
  const ruleState = managed[0]?.State ?? 'missing';
  if (spec.state === 'STARTED' && managed.length === 1 && ruleState !== 'ENABLED') {
    problems.push(`managed rule ${managed[0]?.Name} is ${ruleState} while discovery is STARTED`);
  }

  const expected: Record<string, string | undefined> = {
    BusRef: spec.name,
    EventBusName: spec.name,
    EventBusArn: bus.Arn,
    DiscovererId: discoverer?.DiscovererId,
    DiscovererArn: discoverer?.DiscovererArn,
    DiscovererState: spec.state,
    CrossAccount: discoverer ? String(discoverer.CrossAccount ?? true) : undefined,
    SchemaRegistryName: 'discovered-schemas',
  };
  for (const [key, value] of Object.entries(expected)) {
    if (value !== undefined && outputs[key] !== value) {
      problems.push(`output ${key} is ${JSON.stringify(outputs[key] ?? null)}, the account says ${value}`);
    }
  }
  // What a stopped discoverer's rule shows is not documented: only a started one's state is named.
  const rule = managed.length === 0 ? 'no rule' : spec.state === 'STARTED' ? `rule ${ruleState}` : 'rule present';
  const summary =
    `discoverer ${discoverer?.State ?? 'missing'}, ${rule}, ${Object.keys(spec.tags).length} tags, ` +
    `LogConfig ${level}, ${Object.keys(expected).length} outputs`;
  return { problems, summary };
};

/** Buses and discoverers that must be gone: each one still there is a problem. */
export const checkGone = async (
  { events, schemas }: AccountClients,
  busNames: string[],
  discovererIds: string[],
): Promise<string[]> => {
  const [buses, discoverers] = await Promise.all([
    Promise.all(busNames.map((name) => describeBus(events, name))),
    Promise.all(discovererIds.map((id) => describeDiscoverer(schemas, id))),
  ]);
  return [
    ...busNames.filter((_, index) => buses[index]).map((name) => `bus ${name} is still there`),
    ...discovererIds.filter((_, index) => discoverers[index]).map((id) => `discoverer ${id} is still there`),
  ];
};
