import type { Owner } from './context';
import { OWNER_TAG_PREFIX, type Tag } from './properties';

// Two tags, not one: a stack ARN plus a logical id can exceed the 256-character limit of one tag value.
const STACK_TAG = `${OWNER_TAG_PREFIX}stack-id`;
const LOGICAL_ID_TAG = `${OWNER_TAG_PREFIX}logical-id`;
// On the discoverer only: whether the bus under it is ours too, so Update and Delete need not read the bus's tags.
export const BUS_OWNED_TAG = `${OWNER_TAG_PREFIX}bus-owned`;

// On what a request creates: the mark of the invocation that created it (RequestContext.marker). Set only by the
// create call and never changed afterwards, so it tells which of several copies of one request made it.
export const MARKER_TAG = `${OWNER_TAG_PREFIX}created-by`;

// On a discoverer this resource adopted rather than created (AdoptExisting): on Delete it is handed back (our tags
// removed), never deleted. The role's policy refuses DeleteDiscoverer on a discoverer that carries it.
export const ADOPTED_TAG = `${OWNER_TAG_PREFIX}adopted`;

export type TagMap = Record<string, string>;

export const ownerTags = (owner: Owner): TagMap => ({ [STACK_TAG]: owner.stackId, [LOGICAL_ID_TAG]: owner.logicalId });

/** The stack another Custom::GithubEventBus that owns this resource belongs to, if any. */
export const ownerStackOf = (tags: TagMap): string | undefined => tags[STACK_TAG];

export const isOwnedBy = (tags: TagMap | undefined, owner: Owner): boolean =>
  tags?.[STACK_TAG] === owner.stackId && tags?.[LOGICAL_ID_TAG] === owner.logicalId;

/** Whether these tags say the invocation with this mark created the resource (and for this owner). */
export const isMadeBy = (tags: TagMap | undefined, owner: Owner, marker: string): boolean =>
  isOwnedBy(tags, owner) && tags?.[MARKER_TAG] === marker;

export const toTagMap = (tags: Tag[] | undefined): TagMap =>
  Object.fromEntries((tags ?? []).map((tag) => [tag.Key, tag.Value]));

export const toTagList = (tags: TagMap): Tag[] => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/**
 * What to tag and untag to turn `current` into `desired`. Tags AWS manages (`aws:`, any case) are left alone, and so
 * is the creator's mark, which only the create call writes.
 */
export const diffTags = (current: TagMap, desired: TagMap): { set: TagMap; remove: string[] } => ({
  set: Object.fromEntries(
    Object.entries(desired).filter(([key, value]) => !Object.hasOwn(current, key) || current[key] !== value),
  ),
  remove: Object.keys(current).filter(
    (key) => !Object.hasOwn(desired, key) && !key.toLowerCase().startsWith('aws:') && key !== MARKER_TAG,
  ),
});

/** Whether a tag key is one this resource writes (ownership, the creator's mark, adoption). */
export const isOurTagKey = (key: string): boolean => key.startsWith(OWNER_TAG_PREFIX);

/** The tags someone else put on a resource: all but ours. */
export const theirTags = (tags: TagMap): TagMap =>
  Object.fromEntries(Object.entries(tags).filter(([key]) => !isOurTagKey(key)));
