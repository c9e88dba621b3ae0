import type { CfnAnswer } from '../local-cloudformation';
import type { StackKey } from './model';
import { nameOf, type RawProperties, tagMap } from './properties';
import {
  ADOPTED_TAG,
  BUS_OWNED_TAG,
  busFace,
  discovererFace,
  logging,
  ownerOf,
  type Snapshot,
  userTags,
} from './resources';
import type { World } from './world';

type Problems = { attributes: string[]; asAsked: string[] };

const show = (value: unknown): string => JSON.stringify(value) ?? 'nothing';

/** Two tag sets' difference, key by key: `+key=value` where only `has` has it, `-key` where only `asked` does. */
const tagDifference = (has: Record<string, string>, asked: Record<string, string>): string =>
  [
    ...Object.entries(has)
      .filter(([key, value]) => asked[key] !== value)
      .map(([key, value]) => `+${key}=${value}`),
    ...Object.keys(asked)
      .filter((key) => !(key in has))
      .map((key) => `-${key}`),
  ].join(' ');

/** What differs between the asked and the actual, member by member (tags key by key). */
const differences = (what: string, has: Record<string, unknown>, asked: Record<string, unknown>): string[] =>
  Object.keys(asked).flatMap((key) => {
    if (key !== 'tags')
      return show(has[key]) === show(asked[key]) ? [] : [`${what} ${key} ${show(has[key])}, asked ${show(asked[key])}`];
    const tags = tagDifference(has.tags as Record<string, string>, asked.tags as Record<string, string>);
    return tags ? [`${what} tags differ from those asked: ${tags}`] : [];
  });

/**
 * A SUCCESS to a Create or Update: its physical id is the bus name (Ref), its attributes are those of the bus and
 * discoverer there; and they are as asked: the bus's settings and tags unless it is adopted (not the stack's, with
 * AdoptExisting), the discoverer's always, and the discoverer's note of whether the bus is the stack's own.
 */
const createOrUpdate = (
  stack: StackKey,
  properties: RawProperties,
  answer: CfnAnswer,
  state: Snapshot,
  world: World,
): Problems => {
  const name = nameOf(properties);
  const data = answer.Data ?? {};
  const bus = state.buses.find((candidate) => candidate.name === name);
  const discoverer = state.discoverers.find((candidate) => candidate.id === data.DiscovererId);
  const attributes: string[] = [];
  if (answer.PhysicalResourceId !== name) attributes.push(`physical id ${answer.PhysicalResourceId}`);
  if (data.EventBusName !== name) attributes.push(`EventBusName ${data.EventBusName}`);
  if (!bus) attributes.push('no such bus');
  else if (data.EventBusArn !== bus.arn) attributes.push(`EventBusArn ${data.EventBusArn}, the bus has ${bus.arn}`);
  if (!discoverer) attributes.push(`no discoverer ${data.DiscovererId}`);
  else {
    if (data.DiscovererArn !== discoverer.arn) attributes.push(`DiscovererArn ${data.DiscovererArn}`);
    if (bus && discoverer.sourceArn !== bus.arn) attributes.push(`discoverer on ${discoverer.sourceArn}`);
    if (data.DiscovererState !== discoverer.state) {
      attributes.push(`DiscovererState ${data.DiscovererState}, the discoverer is ${discoverer.state}`);
    }
    if (data.CrossAccount !== String(discoverer.crossAccount)) attributes.push(`CrossAccount ${data.CrossAccount}`);
  }
  if (data.SchemaRegistryName !== 'discovered-schemas') {
    attributes.push(`SchemaRegistryName ${data.SchemaRegistryName}`);
  }
  const problems = {
    attributes: attributes.map((problem) => `SUCCESS for ${name} but ${problem}`),
    asAsked: [] as string[],
  };
  if (!bus || !discoverer || discoverer.sourceArn !== bus.arn) return problems;

  const tags = userTags(tagMap(properties.Tags));
  const busOwned = ownerOf(bus.tags, world.stacks) === stack;
  if (busOwned) {
    problems.asAsked.push(
      ...differences(
        'bus',
        { ...busFace(bus), tags: userTags(bus.tags) },
        {
          description: (properties.Description as string | undefined) || undefined,
          deadLetterArn: (properties.DeadLetterConfig as { Arn?: string } | undefined)?.Arn,
          logConfig: logging(properties.LogConfig as { IncludeDetail?: string; Level?: string } | undefined),
          tags,
        },
      ),
    );
  } else if (properties.AdoptExisting !== 'true') {
    problems.asAsked.push(`bus ${name} is not this stack's (${show(bus.tags)}) and AdoptExisting is not "true"`);
  }
  if (ownerOf(discoverer.tags, world.stacks) !== stack) {
    problems.asAsked.push(`discoverer ${discoverer.id} is not this stack's (${show(discoverer.tags)})`);
    return problems;
  }
  // An adopted discoverer keeps the tags its maker gave it: the stack's Tags apply to what it created.
  const adopted = discoverer.tags[ADOPTED_TAG] === 'true';
  problems.asAsked.push(
    ...differences(
      'discoverer',
      { ...discovererFace(discoverer), tags: userTags(discoverer.tags) },
      {
        description:
          (properties.DiscovererDescription as string | undefined) ||
          `Schema discoverer for events on ${name} event bus`,
        state: (properties.DiscovererState as string | undefined) ?? 'STARTED',
        crossAccount: properties.CrossAccount !== 'false',
        tags: adopted ? userTags(discoverer.tags) : tags,
      },
    ),
  );
  if (discoverer.tags[BUS_OWNED_TAG] !== String(busOwned)) {
    problems.asAsked.push(
      `discoverer says bus-owned ${discoverer.tags[BUS_OWNED_TAG]}, the bus is ${busOwned ? '' : 'not '}ours`,
    );
  }
  return problems;
};

/** What is wrong with a SUCCESS answer, against what exists now; nothing for a FAILED one. */
export const successProblems = (
  stack: StackKey,
  request: Record<string, unknown>,
  answer: CfnAnswer,
  state: Snapshot,
  world: World,
): Problems => {
  if (answer.Status !== 'SUCCESS') return { attributes: [], asAsked: [] };
  if (request.RequestType !== 'Delete') {
    return createOrUpdate(stack, request.ResourceProperties as RawProperties, answer, state, world);
  }
  // A Delete's answer echoes the physical id it was sent.
  return {
    attributes:
      answer.PhysicalResourceId === request.PhysicalResourceId
        ? []
        : [`Delete of ${request.PhysicalResourceId} answered ${answer.PhysicalResourceId}`],
    asAsked: [],
  };
};
