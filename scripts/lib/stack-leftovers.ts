import {
  DescribeEventBusCommand,
  EventBridgeClient,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import { ListDiscoverersCommand, SchemasClient } from '@aws-sdk/client-schemas';
import type { Owner } from '../../handler/resource/context';
import { isOwnedBy, ownerTags, type TagMap, toTagMap } from '../../handler/resource/ownership';

/** A bus or discoverer found under one of the names a run used, and whose ownership tags it carries. */
export type Found = {
  kind: 'event bus' | 'discoverer';
  name: string;
  /** Made by this stack's resource: its ownership tags carry this StackId and logical id. */
  ours: boolean;
  /** The StackId its tags name, if any: another stack (another run), or none for one made by hand. */
  madeBy?: string;
};

// The tag that names the stack (the first of the two ownership tags), read for what another stack made.
const [STACK_TAG] = Object.keys(ownerTags({ stackId: '', logicalId: '' })) as [string];

const found = (kind: Found['kind'], name: string, tags: TagMap, owner: Owner): Found => ({
  kind,
  name,
  ours: isOwnedBy(tags, owner),
  ...(tags[STACK_TAG] ? { madeBy: tags[STACK_TAG] } : {}),
});

/**
 * What exists under `names` at the endpoint the SDK's chains point at (AWS_ENDPOINT_URL, or AWS): each bus and the
 * discoverers on it, with whether `owner` made them. Only those are a run's leftovers; the rest were there before
 * it, or are another run's.
 */
export const findByName = async (names: string[], owner: Owner): Promise<Found[]> => {
  const events = new EventBridgeClient({});
  const schemas = new SchemasClient({});
  const result: Found[] = [];
  try {
    for (const name of names) {
      let arn: string | undefined;
      try {
        arn = (await events.send(new DescribeEventBusCommand({ Name: name }))).Arn;
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
      if (!arn) continue;
      const { Tags } = await events.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
      result.push(found('event bus', name, toTagMap(Tags as { Key: string; Value: string }[]), owner));
      const { Discoverers = [] } = await schemas.send(new ListDiscoverersCommand({ SourceArnPrefix: arn }));
      for (const discoverer of Discoverers.filter((candidate) => candidate.SourceArn === arn)) {
        result.push(found('discoverer', String(discoverer.DiscovererId), discoverer.Tags ?? {}, owner));
      }
    }
  } finally {
    events.destroy();
    schemas.destroy();
  }
  return result;
};
