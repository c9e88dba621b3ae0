import { ResourceAlreadyExistsException } from '@aws-sdk/client-eventbridge';
import { ConflictException } from '@aws-sdk/client-schemas';
import { log } from '../log';
import { type Attributes, SCHEMA_REGISTRY_NAME } from './attributes';
import { type RequestContext, timeLeft, undoContext } from './context';
import {
  createDiscoverer,
  type Discoverer,
  deleteDiscoverer,
  describeDiscoverer,
  discovererIdFor,
  discovererOn,
  findDiscoverer,
  setDiscovererState,
  updateDiscoverer,
} from './discoverer';
import { ForeignResourceError } from './errors';
import {
  createEventBus,
  deleteEventBus,
  describeEventBus,
  type EventBus,
  eventBusArn,
  listEventBusTags,
  readEventBusTags,
  retagEventBus,
  settingsDiffer,
  updateEventBusSettings,
} from './event-bus';
import { BUS_OWNED_TAG, diffTags, isOwnedBy, ownerTags, type TagMap, toTagMap } from './ownership';
import { isValidBusName, type Properties } from './properties';

export type Outcome = { id: string; attributes: Attributes };

/**
 * What this request may take back if it fails: what it created, including what an earlier attempt of the same
 * call made before its answer was lost, and never what it found made by another request. `creating` names a
 * create call whose effect is unknown (it was in flight when the work stopped).
 */
type Journal = { bus?: string; discoverer?: string; creating?: 'bus' | 'discoverer' };

// Taking back partial work stops this long before its deadline, so the answer is the request's own error and
// not a timeout.
const UNDO_MARGIN_MS = 1_000;

const busTags = (properties: Properties, context: RequestContext): TagMap => ({
  ...toTagMap(properties.tags),
  ...ownerTags(context.owner),
});

const discovererTags = (properties: Properties, context: RequestContext, busOwned: boolean): TagMap => ({
  ...busTags(properties, context),
  [BUS_OWNED_TAG]: String(busOwned),
});

const outcome = (bus: EventBus, discoverer: Discoverer): Outcome => ({
  id: bus.name,
  attributes: {
    EventBusName: bus.name,
    EventBusArn: bus.arn,
    DiscovererId: discoverer.id,
    DiscovererArn: discoverer.arn,
    DiscovererState: discoverer.state,
    CrossAccount: String(discoverer.crossAccount),
    SchemaRegistryName: SCHEMA_REGISTRY_NAME,
  },
});

const foreignBus = (name: string): ForeignResourceError =>
  new ForeignResourceError(
    `Event bus ${name} already exists and was not created by this resource. To put the schema discoverer on it ` +
      'and leave the bus in place on delete, set AdoptExisting: "true"; otherwise choose another EventBusName.',
  );

const foreignDiscoverer = (busName: string, id: string): ForeignResourceError =>
  new ForeignResourceError(
    `Event bus ${busName} already has schema discoverer ${id}, which this resource did not create; ` +
      'a bus can have only one. Delete that discoverer or choose another EventBusName.',
  );

/** Whether the SDK sent this call more than once: an earlier attempt may have taken effect, its answer lost. */
const retriedCall = (error: unknown): boolean =>
  ((error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1) > 1;

/**
 * Runs one create call with the journal marking it in flight. Its result; or, when the thing already exists,
 * whether the SDK sent the call more than once (an earlier attempt may have made it). A create still in flight
 * when the work's time ran out stays marked: its effect is unknown until the undo looks.
 */
const journaledCreate = async <T>(
  journal: Journal,
  what: NonNullable<Journal['creating']>,
  context: RequestContext,
  AlreadyExists: abstract new (...args: never[]) => Error,
  create: () => Promise<T>,
): Promise<{ created: T } | { retried: boolean }> => {
  journal.creating = what;
  try {
    const created = await create();
    journal.creating = undefined;
    return { created };
  } catch (error) {
    // Transient failures are retried until the work's time is up: only then is the call's effect unknown.
    if (!context.signal.aborted) journal.creating = undefined;
    if (!(error instanceof AlreadyExists)) throw error;
    return { retried: retriedCall(error) };
  }
};

/** Creates the bus; or finds it ours (a repeated request) and converges it; or adopts a foreign one if allowed. */
const ensureEventBus = async (
  properties: Properties,
  context: RequestContext,
  journal: Journal,
): Promise<{ bus: EventBus; owned: boolean }> => {
  const name = properties.eventBusName;
  const attempt = await journaledCreate(journal, 'bus', context, ResourceAlreadyExistsException, () =>
    createEventBus(properties, busTags(properties, context), context),
  );
  if ('created' in attempt) {
    journal.bus = name;
    return { bus: attempt.created, owned: true };
  }
  const { retried } = attempt;
  const bus = await describeEventBus(name, context);
  if (!bus) throw new Error(`Event bus ${name} was reported to exist but could not be described; retry the request`);
  const tags = await listEventBusTags(bus.arn, context);
  if (isOwnedBy(tags, context.owner)) {
    // Made by this very call, whose first answer was lost; otherwise by another request, which may have
    // answered SUCCESS already: that one is never taken back.
    if (retried) journal.bus = name;
    await updateEventBusSettings(bus, properties, context);
    await retagEventBus(bus.arn, tags, busTags(properties, context), context);
    return { bus, owned: true };
  }
  if (!properties.adoptExisting) throw foreignBus(name);
  log('INFO', 'adopting an existing event bus; it will be left in place on delete', { busName: name });
  return { bus, owned: false };
};

/** Creates the discoverer on the bus; or finds ours there (a repeated request) and converges it. */
const ensureDiscoverer = async (
  bus: EventBus,
  busOwned: boolean,
  properties: Properties,
  context: RequestContext,
  journal: Journal,
): Promise<Discoverer> => {
  const tags = discovererTags(properties, context, busOwned);
  const attempt = await journaledCreate(journal, 'discoverer', context, ConflictException, () =>
    createDiscoverer(bus.arn, properties, tags, context),
  );
  if ('created' in attempt) {
    journal.discoverer = attempt.created.id;
    return attempt.created;
  }
  const { retried } = attempt;
  const existing = await findDiscoverer(bus.name, bus.arn, context);
  if (!existing) throw new Error(`Event bus ${bus.name} has a discoverer that could not be found; retry the request`);
  if (!isOwnedBy(existing.tags, context.owner)) throw foreignDiscoverer(bus.name, existing.id);
  // On a bus this request created, any discoverer of ours is this request's too.
  if (retried || journal.bus) journal.discoverer = existing.id;
  return updateDiscoverer(existing, properties, tags, context);
};

/** A create whose effect is unknown: what it may have made, if this request made it, joins the journal. */
const settleUnknownCreate = async (journal: Journal, name: string, context: RequestContext): Promise<void> => {
  const creating = journal.creating;
  journal.creating = undefined;
  if (creating === 'bus') {
    const bus = await describeEventBus(name, context);
    // Made after this invocation started and carrying our tags: made by the call that was cut short.
    if (bus?.creationTime && bus.creationTime.getTime() >= context.startedAt) {
      if (isOwnedBy(await listEventBusTags(bus.arn, context), context.owner)) journal.bus = name;
    }
  } else if (creating === 'discoverer' && journal.bus) {
    const discoverer = await describeDiscoverer(discovererIdFor(name), context);
    if (discoverer && isOwnedBy(discoverer.tags, context.owner)) journal.discoverer = discoverer.id;
  }
};

/** Takes back what the journal holds, discoverer first; within the undo's own time, never throwing. */
const undo = async (journal: Journal, name: string, failed: RequestContext): Promise<void> => {
  if (!journal.bus && !journal.discoverer && !journal.creating) return;
  const context = undoContext(failed);
  log('WARN', 'request failed; undoing its partial work', { ...journal, budgetMs: timeLeft(context) });
  try {
    await settleUnknownCreate(journal, name, context);
    if (journal.discoverer) {
      await deleteDiscoverer(journal.discoverer, context);
      log('INFO', 'undo: discoverer deleted', { discovererId: journal.discoverer });
    }
    if (journal.bus) {
      // Only a discoverer this request deleted has a rule that will go; any other rule will not.
      await deleteEventBus(journal.bus, context, {
        budgetMs: timeLeft(context) - UNDO_MARGIN_MS,
        awaitDiscovererRule: journal.discoverer !== undefined,
      });
      log('INFO', 'undo: event bus deleted', { busName: journal.bus });
    }
    log('INFO', 'partial work undone', { ...journal });
  } catch (error) {
    log('WARN', 'undo incomplete', { ...journal, error });
  }
};

/**
 * Bus, then discoverer on exactly the ARN the bus call returned, then discovery state. On failure (or when its
 * time runs out), takes back what this request made before answering: a failed Create's name is known to
 * CloudFormation, but a failed replacement's is not, and no Delete would ever come for it.
 */
const provision = async (properties: Properties, context: RequestContext): Promise<Outcome> => {
  const journal: Journal = {};
  try {
    const { bus, owned } = await ensureEventBus(properties, context, journal);
    const discoverer = await ensureDiscoverer(bus, owned, properties, context, journal);
    return outcome(bus, await setDiscovererState(discoverer, properties.discovererState, context));
  } catch (error) {
    await undo(journal, properties.eventBusName, context);
    throw error;
  }
};

export const createGithubEventBus = (properties: Properties, context: RequestContext): Promise<Outcome> =>
  provision(properties, context);

/** Whether the bus's settings or tags would change, judged without reading its tags. */
const busChangeExpected = (
  bus: EventBus,
  properties: Properties,
  old: Properties | undefined,
  context: RequestContext,
) => {
  if (!old || settingsDiffer(bus, properties)) return true;
  const { set, remove } = diffTags(busTags(old, context), busTags(properties, context));
  return Object.keys(set).length > 0 || remove.length > 0;
};

/**
 * A new name is a replacement: provision the new bus and leave the old one for CloudFormation's Delete.
 * Otherwise: two reads (bus and discoverer, side by side) heal drift, then only the calls the difference needs.
 * The bus is changed only once its own tags prove it ours: the discoverer's word saves that read only when
 * nothing on the bus changes (and when the old properties, which the tags are diffed from, can be trusted).
 */
export const updateGithubEventBus = async (
  id: string,
  properties: Properties,
  oldProperties: Properties | undefined,
  context: RequestContext,
): Promise<Outcome> => {
  if (properties.eventBusName !== id) return provision(properties, context);
  const [bus, usual] = await Promise.all([
    describeEventBus(id, context),
    describeDiscoverer(discovererIdFor(id), context),
  ]);
  if (!bus) {
    log('WARN', 'event bus is gone; creating it again', { busName: id });
    return provision(properties, context);
  }
  const found = await discovererOn(bus.arn, usual, context);
  if (found && !isOwnedBy(found.tags, context.owner)) throw foreignDiscoverer(id, found.id);

  const adopted = found?.tags[BUS_OWNED_TAG] === 'false';
  const mustRead = !found || (!adopted && busChangeExpected(bus, properties, oldProperties, context));
  const busTagsNow = mustRead ? await listEventBusTags(bus.arn, context) : undefined;
  const busOwned = busTagsNow ? isOwnedBy(busTagsNow, context.owner) : !adopted;
  if (busTagsNow && !busOwned && !properties.adoptExisting) throw foreignBus(id);
  if (found && !adopted && !busOwned) {
    log('WARN', 'the event bus no longer carries our tags; leaving it alone as adopted', { busName: id });
  }

  const tags = discovererTags(properties, context, busOwned);
  const [, discoverer] = await Promise.all([
    busOwned &&
      busTagsNow &&
      (async () => {
        // One change at a time: EventBridge refuses concurrent changes to one bus.
        await updateEventBusSettings(bus, properties, context);
        await retagEventBus(bus.arn, busTagsNow, busTags(properties, context), context);
      })(),
    (async () => {
      if (!found) log('WARN', 'discoverer is gone; creating it again', { busName: id });
      const current = found
        ? await updateDiscoverer(found, properties, tags, context)
        : await createDiscoverer(bus.arn, properties, tags, context);
      return setDiscovererState(current, properties.discovererState, context);
    })(),
  ]);
  return outcome(bus, discoverer);
};

/** The bus's tags by its ARN, named without a call where the function's account is known; undefined if gone. */
const currentBusTags = async (
  id: string,
  context: RequestContext,
): Promise<{ arn: string; tags: TagMap } | undefined> => {
  if (context.location) {
    const arn = eventBusArn(id, context.location);
    const tags = await readEventBusTags(arn, context);
    if (tags) return { arn, tags };
  }
  // Not found by the derived ARN (or none derived): make sure by name before calling it gone.
  const bus = await describeEventBus(id, context);
  if (!bus) return undefined;
  const tags = await readEventBusTags(bus.arn, context);
  return tags ? { arn: bus.arn, tags } : undefined;
};

/**
 * Each is deleted only if its own tags say it is ours: the discoverer first, then the bus. The two reads run side
 * by side (the bus's ARN is named without a call), so a Delete is one round of reads and two deletes. An id that
 * is not a bus name was never issued for a bus.
 */
export const deleteGithubEventBus = async (id: string, context: RequestContext): Promise<void> => {
  if (!isValidBusName(id)) {
    log('INFO', 'physical id is not an event bus name; nothing to delete', { physicalResourceId: id });
    return;
  }
  const [bus, usual] = await Promise.all([
    currentBusTags(id, context),
    describeDiscoverer(discovererIdFor(id), context),
  ]);
  const discoverer = bus ? await discovererOn(bus.arn, usual, context) : usual;
  const discovererOwned = discoverer !== undefined && isOwnedBy(discoverer.tags, context.owner);
  if (discoverer && discovererOwned) await deleteDiscoverer(discoverer.id, context);
  else if (discoverer) {
    log('INFO', 'leaving a discoverer this resource did not create', { discovererId: discoverer.id });
  }
  if (!bus) {
    log('INFO', 'event bus already gone', { busName: id });
    return;
  }
  if (!isOwnedBy(bus.tags, context.owner)) {
    log('INFO', 'leaving an event bus this resource did not create', { busName: id });
    return;
  }
  // A discoverer that is not ours keeps its rule on the bus: waiting would not help.
  await deleteEventBus(id, context, { awaitDiscovererRule: !discoverer || discovererOwned });
};
