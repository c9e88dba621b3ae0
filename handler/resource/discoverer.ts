import {
  CreateDiscovererCommand,
  DeleteDiscovererCommand,
  DescribeDiscovererCommand,
  ListDiscoverersCommand,
  NotFoundException,
  StartDiscovererCommand,
  StopDiscovererCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateDiscovererCommand,
} from '@aws-sdk/client-schemas';
import { schemasClient } from '../aws/clients';
import { send } from '../aws/send';
import type { RequestContext } from './context';
import { DiscovererQuotaError, isDiscovererQuotaError } from './errors';
import { diffTags, isOurTagKey, type TagMap } from './ownership';
import type { DiscovererState, Properties } from './properties';

export type Discoverer = {
  id: string;
  arn: string;
  sourceArn: string;
  state: DiscovererState;
  description?: string;
  crossAccount: boolean;
  tags: TagMap;
};

// Schemas names a bus's discoverer after the bus; if it ever does not, findDiscoverer falls back to a listing.
export const discovererIdFor = (busName: string): string => `events-event-bus-${busName}`;

type DiscovererOutput = {
  DiscovererId?: string;
  DiscovererArn?: string;
  SourceArn?: string;
  State?: string;
  Description?: string;
  CrossAccount?: boolean;
  Tags?: Record<string, string>;
};

const toDiscoverer = (output: DiscovererOutput): Discoverer => {
  if (!output.DiscovererId || !output.DiscovererArn) throw new Error('Schemas returned a discoverer without id or ARN');
  return {
    id: output.DiscovererId,
    arn: output.DiscovererArn,
    sourceArn: output.SourceArn ?? '',
    state: output.State === 'STOPPED' ? 'STOPPED' : 'STARTED',
    description: output.Description || undefined,
    crossAccount: output.CrossAccount ?? true,
    tags: output.Tags ?? {},
  };
};

/**
 * Creates the discoverer on exactly this bus ARN; a bus that has one already surfaces as ConflictException, and
 * the account's quota of discoverers as DiscovererQuotaError.
 */
export const createDiscoverer = async (
  busArn: string,
  properties: Properties,
  tags: TagMap,
  context: RequestContext,
): Promise<Discoverer> => {
  const output = await send(
    schemasClient(),
    new CreateDiscovererCommand({
      SourceArn: busArn,
      Description: properties.discovererDescription,
      CrossAccount: properties.crossAccount,
      Tags: tags,
    }),
    context.signal,
  ).catch((error: unknown) => {
    // arn:partition:events:region:account:event-bus/name
    if (isDiscovererQuotaError(error)) throw new DiscovererQuotaError(busArn.split(':')[3] ?? '', error);
    throw error;
  });
  return toDiscoverer({ ...output, SourceArn: output.SourceArn ?? busArn, Tags: output.Tags ?? tags });
};

export const describeDiscoverer = async (id: string, context: RequestContext): Promise<Discoverer | undefined> => {
  try {
    return toDiscoverer(
      await send(schemasClient(), new DescribeDiscovererCommand({ DiscovererId: id }), context.signal),
    );
  } catch (error) {
    if (error instanceof NotFoundException) return undefined;
    throw error;
  }
};

/**
 * The discoverer on this bus when it is not at the usual id: a listing by the bus ARN. The prefix also matches
 * buses whose names extend this one, so only an exact SourceArn counts.
 */
export const findDiscovererByBus = async (busArn: string, context: RequestContext): Promise<Discoverer | undefined> => {
  const listed = await send(schemasClient(), new ListDiscoverersCommand({ SourceArnPrefix: busArn }), context.signal);
  const match = listed.Discoverers?.find((summary) => summary.SourceArn === busArn && summary.DiscovererId);
  return match?.DiscovererId ? describeDiscoverer(match.DiscovererId, context) : undefined;
};

/** The bus's discoverer: the one at the usual id if it is on this bus (`usual`, read already), else by listing. */
export const discovererOn = (
  busArn: string,
  usual: Discoverer | undefined,
  context: RequestContext,
): Promise<Discoverer | undefined> =>
  usual?.sourceArn === busArn ? Promise.resolve(usual) : findDiscovererByBus(busArn, context);

/** The bus's discoverer: by the usual id (one call), else by listing. */
export const findDiscoverer = async (
  busName: string,
  busArn: string,
  context: RequestContext,
): Promise<Discoverer | undefined> =>
  discovererOn(busArn, await describeDiscoverer(discovererIdFor(busName), context), context);

/** Brings description, cross-account discovery and tags to the properties, calling only for what differs. */
export const updateDiscoverer = async (
  discoverer: Discoverer,
  properties: Properties,
  desiredTags: TagMap,
  context: RequestContext,
): Promise<Discoverer> => {
  const client = schemasClient();
  const { set, remove } = diffTags(discoverer.tags, desiredTags);
  const settingsDiffer =
    discoverer.description !== properties.discovererDescription || discoverer.crossAccount !== properties.crossAccount;
  const retag = async (): Promise<void> => {
    // Untag first: a discoverer holds at most 50 tags, and a rename at the limit must never hold 51.
    if (remove.length > 0) {
      await send(client, new UntagResourceCommand({ ResourceArn: discoverer.arn, TagKeys: remove }), context.signal);
    }
    if (Object.keys(set).length > 0) {
      await send(client, new TagResourceCommand({ ResourceArn: discoverer.arn, Tags: set }), context.signal);
    }
  };
  await Promise.all([
    settingsDiffer &&
      send(
        client,
        new UpdateDiscovererCommand({
          DiscovererId: discoverer.id,
          Description: properties.discovererDescription,
          CrossAccount: properties.crossAccount,
        }),
        context.signal,
      ),
    retag(),
  ]);
  return {
    ...discoverer,
    description: properties.discovererDescription,
    crossAccount: properties.crossAccount,
    tags: desiredTags,
  };
};

/** Starts or stops discovery, only if the discoverer is not in that state already. */
export const setDiscovererState = async (
  discoverer: Discoverer,
  state: DiscovererState,
  context: RequestContext,
): Promise<Discoverer> => {
  if (discoverer.state === state) return discoverer;
  const command =
    state === 'STARTED'
      ? new StartDiscovererCommand({ DiscovererId: discoverer.id })
      : new StopDiscovererCommand({ DiscovererId: discoverer.id });
  const output = await send(schemasClient(), command, context.signal);
  return { ...discoverer, state: output.State === 'STOPPED' || output.State === 'STARTED' ? output.State : state };
};

/** Deletes the discoverer; one that is already gone counts as deleted. */
export const deleteDiscoverer = async (id: string, context: RequestContext): Promise<void> => {
  try {
    await send(schemasClient(), new DeleteDiscovererCommand({ DiscovererId: id }), context.signal);
  } catch (error) {
    if (!(error instanceof NotFoundException)) throw error;
  }
};

/** Removes the tags this resource wrote, handing an adopted discoverer back as it would be without us. */
export const handBackDiscoverer = async (
  discoverer: Pick<Discoverer, 'arn' | 'tags'>,
  context: RequestContext,
): Promise<void> => {
  const ours = Object.keys(discoverer.tags).filter(isOurTagKey);
  if (ours.length === 0) return;
  await send(schemasClient(), new UntagResourceCommand({ ResourceArn: discoverer.arn, TagKeys: ours }), context.signal);
};

/** Puts our tags on a discoverer someone else made, first and alone: only then may the role change it. */
export const adoptDiscoverer = async (
  discoverer: Discoverer,
  ours: TagMap,
  context: RequestContext,
): Promise<Discoverer> => {
  await send(schemasClient(), new TagResourceCommand({ ResourceArn: discoverer.arn, Tags: ours }), context.signal);
  return { ...discoverer, tags: { ...discoverer.tags, ...ours } };
};
