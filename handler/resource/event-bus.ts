import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DescribeEventBusCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateEventBusCommand,
} from '@aws-sdk/client-eventbridge';
import { eventBridgeClient } from '../aws/clients';
import { send } from '../aws/send';
import { log } from '../log';
import { type Location, type RequestContext, timeLeft } from './context';
import { BusHasRulesError } from './errors';
import { diffTags, type TagMap, toTagList, toTagMap } from './ownership';
import { LOGGING_OFF, type LogConfig, type Properties } from './properties';

export type EventBus = {
  name: string;
  arn: string;
  description?: string;
  deadLetterArn?: string;
  /** Left out means logging off, the default. */
  logConfig?: LogConfig;
};

/** The ARN a bus of this name has in the function's own account and region, without a call. */
export const eventBusArn = (name: string, { partition, region, accountId }: Location): string =>
  `arn:${partition}:events:${region}:${accountId}:event-bus/${name}`;

// The rule a discoverer puts on its bus; it outlives DeleteDiscoverer for a while.
export const managedRuleName = (busName: string): string => `Schemas-events-event-bus-${busName}`;

const HAS_RULES = /can't be deleted since it has rules/i;
// The discoverer's rule goes on its own schedule (seconds, sometimes tens of seconds): polling at about one
// call a second, jittered, ends the Delete within about a second of it going, without a burst of calls.
const RULE_POLL_MS = 1_000;

/** Creates the bus with its tags; an existing name surfaces as ResourceAlreadyExistsException. */
export const createEventBus = async (
  properties: Properties,
  tags: TagMap,
  context: RequestContext,
): Promise<EventBus> => {
  const output = await send(
    eventBridgeClient(),
    new CreateEventBusCommand({
      Name: properties.eventBusName,
      Description: properties.description,
      DeadLetterConfig: properties.deadLetterArn ? { Arn: properties.deadLetterArn } : undefined,
      LogConfig: properties.logConfig,
      Tags: toTagList(tags),
    }),
    context.signal,
  );
  if (!output.EventBusArn) throw new Error(`CreateEventBus returned no EventBusArn for ${properties.eventBusName}`);
  return {
    name: properties.eventBusName,
    arn: output.EventBusArn,
    description: properties.description,
    deadLetterArn: properties.deadLetterArn,
    logConfig: properties.logConfig ?? LOGGING_OFF,
  };
};

/** The bus as it is now, or undefined where there is none. */
export const describeEventBus = async (name: string, context: RequestContext): Promise<EventBus | undefined> => {
  try {
    const output = await send(eventBridgeClient(), new DescribeEventBusCommand({ Name: name }), context.signal);
    if (!output.Arn) throw new Error(`DescribeEventBus returned no Arn for ${name}`);
    return {
      name,
      arn: output.Arn,
      description: output.Description || undefined,
      deadLetterArn: output.DeadLetterConfig?.Arn || undefined,
      // A member DescribeEventBus leaves out is at its default, so "no LogConfig" and "Level OFF" compare equal.
      logConfig: {
        IncludeDetail: output.LogConfig?.IncludeDetail ?? LOGGING_OFF.IncludeDetail,
        Level: output.LogConfig?.Level ?? LOGGING_OFF.Level,
      },
    };
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
};

export const listEventBusTags = async (arn: string, context: RequestContext): Promise<TagMap> => {
  const output = await send(eventBridgeClient(), new ListTagsForResourceCommand({ ResourceARN: arn }), context.signal);
  return toTagMap(output.Tags as { Key: string; Value: string }[] | undefined);
};

/** The bus's tags, or undefined where there is no bus at that ARN. */
export const readEventBusTags = async (arn: string, context: RequestContext): Promise<TagMap | undefined> => {
  try {
    return await listEventBusTags(arn, context);
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
};

const sameLogConfig = (a: LogConfig, b: LogConfig): boolean =>
  a.IncludeDetail === b.IncludeDetail && a.Level === b.Level;

/** Whether the bus's description, dead-letter queue or logging differ from the properties. */
export const settingsDiffer = (bus: EventBus, properties: Properties): boolean =>
  bus.description !== properties.description ||
  bus.deadLetterArn !== properties.deadLetterArn ||
  !sameLogConfig(bus.logConfig ?? LOGGING_OFF, properties.logConfig ?? LOGGING_OFF);

/** Brings description, dead-letter queue and logging to the properties, in one call and only if they differ. */
export const updateEventBusSettings = async (
  bus: EventBus,
  properties: Properties,
  context: RequestContext,
): Promise<void> => {
  if (!settingsDiffer(bus, properties)) return;
  await send(
    eventBridgeClient(),
    new UpdateEventBusCommand({
      Name: bus.name,
      // Whether the API keeps or clears a member left out is not documented: send each one we want, and an
      // empty one only to clear what the bus has.
      Description: properties.description ?? (bus.description ? '' : undefined),
      DeadLetterConfig: properties.deadLetterArn
        ? { Arn: properties.deadLetterArn }
        : bus.deadLetterArn
          ? {}
          : undefined,
      // No LogConfig property means logging off. Off is sent as both members at their defaults, not as an empty
      // LogConfig: an empty one may as well read as "no change", while Level OFF stops logging either way.
      LogConfig:
        properties.logConfig ?? (sameLogConfig(bus.logConfig ?? LOGGING_OFF, LOGGING_OFF) ? undefined : LOGGING_OFF),
    }),
    context.signal,
  );
};

/**
 * Untags, then tags, so the bus goes from `current` to `desired` without ever holding more tags than either
 * (a bus holds at most 50: a rename at the limit would otherwise be refused), and without two changes to the
 * same bus at once (EventBridge answers ConcurrentModificationException to that).
 */
export const retagEventBus = async (
  arn: string,
  current: TagMap,
  desired: TagMap,
  context: RequestContext,
): Promise<void> => {
  const { set, remove } = diffTags(current, desired);
  const client = eventBridgeClient();
  if (remove.length > 0) {
    await send(client, new UntagResourceCommand({ ResourceARN: arn, TagKeys: remove }), context.signal);
  }
  if (Object.keys(set).length > 0) {
    await send(client, new TagResourceCommand({ ResourceARN: arn, Tags: toTagList(set) }), context.signal);
  }
};

const isHasRulesError = (error: unknown): boolean => error instanceof Error && HAS_RULES.test(error.message);

// Identified by its manager, not only its name: a long bus name may not fit a rule name (64 characters) as is.
const SCHEMAS_SERVICE = 'schemas.amazonaws.com';

/** Names of the rules on the bus; the discoverer's managed rule only when `includeDiscoverers`. */
const listRuleNames = async (
  busName: string,
  includeDiscoverers: boolean,
  context: RequestContext,
): Promise<string[]> => {
  const output = await send(eventBridgeClient(), new ListRulesCommand({ EventBusName: busName }), context.signal);
  return (output.Rules ?? [])
    .filter(
      (rule) => includeDiscoverers || (rule.ManagedBy !== SCHEMAS_SERVICE && rule.Name !== managedRuleName(busName)),
    )
    .map((rule) => rule.Name ?? '(unnamed)');
};

/** Waits `ms`, or until the signal aborts; either way it leaves no listener behind (one wait a second adds up). */
const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Deletes the bus. The discoverer's managed rule disappears some time after DeleteDiscoverer, and until then
 * DeleteEventBus fails with "has rules": that is retried about once a second for at most `budgetMs`. Rules that
 * are not the discoverer's will not go away by waiting, so they fail the delete at once, by name.
 * `awaitDiscovererRule: false` counts the discoverer's rule as foreign too (a discoverer that is not ours keeps it).
 * A bus that is already gone counts as deleted (DeleteEventBus succeeds for a missing bus).
 */
export const deleteEventBus = async (
  name: string,
  context: RequestContext,
  { budgetMs = timeLeft(context), awaitDiscovererRule }: { budgetMs?: number; awaitDiscovererRule: boolean },
): Promise<void> => {
  const giveUpAt = Date.now() + budgetMs;
  let checkedRules = false;
  for (;;) {
    try {
      await send(eventBridgeClient(), new DeleteEventBusCommand({ Name: name }), context.signal);
      return;
    } catch (error) {
      if (!isHasRulesError(error)) throw error;
      if (!checkedRules) {
        checkedRules = true;
        const others = await listRuleNames(name, !awaitDiscovererRule, context);
        if (others.length > 0) throw new BusHasRulesError(name, others, { cause: error });
      }
      const pause = RULE_POLL_MS * (0.8 + Math.random() * 0.4);
      if (Date.now() + pause > giveUpAt || context.signal.aborted) {
        throw new BusHasRulesError(name, [managedRuleName(name)], { cause: error });
      }
      log('INFO', 'waiting for the discoverer rule to go', { busName: name, waitMs: Math.round(pause) });
      await sleep(pause, context.signal);
    }
  }
};
