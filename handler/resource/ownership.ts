import type { Owner } from './context';
import { OWNER_TAG_PREFIX, type Tag } from './properties';

// Two tags, not one: a stack ARN plus a logical id can exceed the 256-character limit of one tag value.
const STACK_TAG = `${OWNER_TAG_PREFIX}stack-id`;
const LOGICAL_ID_TAG = `${OWNER_TAG_PREFIX}logical-id`;
// On the discoverer only: whether the bus under it is ours too, so Update and Delete need not read the bus's tags.
export const BUS_OWNED_TAG = `${OWNER_TAG_PREFIX}bus-owned`;

export type TagMap = Record<string, string>;

export const ownerTags = (owner: Owner): TagMap => ({ [STACK_TAG]: owner.stackId, [LOGICAL_ID_TAG]: owner.logicalId });

export const isOwnedBy = (tags: TagMap | undefined, owner: Owner): boolean =>
  tags?.[STACK_TAG] === owner.stackId && tags?.[LOGICAL_ID_TAG] === owner.logicalId;

export const toTagMap = (tags: Tag[] | undefined): TagMap =>
  Object.fromEntries((tags ?? []).map((tag) => [tag.Key, tag.Value]));

export const toTagList = (tags: TagMap): Tag[] => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** What to tag and untag to turn `current` into `desired`; tags AWS manages (`aws:`, any case) are left alone. */
export const diffTags = (current: TagMap, desired: TagMap): { set: TagMap; remove: string[] } => ({
  set: Object.fromEntries(
    Object.entries(desired).filter(([key, value]) => !Object.hasOwn(current, key) || current[key] !== value),
  ),
  remove: Object.keys(current).filter((key) => !Object.hasOwn(desired, key) && !key.toLowerCase().startsWith('aws:')),
});
