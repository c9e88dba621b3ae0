import { ResourceAlreadyExistsException } from '@aws-sdk/client-eventbridge';
import { ConflictException } from '@aws-sdk/client-schemas';
import { log } from '../log';
import { type Attributes, SCHEMA_REGISTRY_NAME } from './attributes';
import { type RequestContext, timeLeft } from './context';
import {
  createDiscoverer,
  type Discoverer,
  deleteDiscoverer,
  describeDiscoverer,
  discovererIdFor,
  discovererOn,
  findDiscoverer,
  findDiscovererByBus,
  setDiscovererState,
  updateDiscoverer,
} from './discoverer';
import { ForeignResourceError } from './errors';
import {
  createEventBus,
  deleteEventBus,
  describeEventBus,
  type EventBus,
  listEventBusTags,
  retagEventBus,
  updateEventBusSettings,
} from './event-bus';
import { BUS_OWNED_TAG, isOwnedBy, ownerTags, type TagMap, toTagMap } from './ownership';
import { isValidBusName, type Properties } from './properties';

export type Outcome = { id: string; attributes: Attributes };

/** What this request may take back if it fails: only what it created (or, in a Create, what it owns). */
type Journal = { bus?: string; discoverer?: string };

// A failing Create undoes its partial work for at most this long, so its Reason is its own error and not a
// timeout; the Delete CloudFormation sends next finishes the rest. A failing replacement gets no such Delete
// (CloudFormation never learns the new id), so it may use all the time left.
const CREATE_UNDO_BUDGET_MS = 20_000;

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

/** Creates the bus; or finds it ours (a repeated request) and converges it; or adopts a foreign one if allowed. */
const ensureEventBus = async (
  properties: Properties,
  context: RequestContext,
  journal: Journal,
  undoOwned: boolean,
): Promise<{ bus: EventBus; owned: boolean }> => {
  const name = properties.eventBusName;
  try {
    const bus = await createEventBus(properties, busTags(properties, context), context);
    journal.bus = name;
    return { bus, owned: true };
  } catch (error) {
    if (!(error instanceof ResourceAlreadyExistsException)) throw error;
  }
  const bus = await describeEventBus(name, context);
  if (!bus) throw new Error(`Event bus ${name} was reported to exist but could not be described; retry the request`);
  const tags = await listEventBusTags(bus.arn, context);
  if (isOwnedBy(tags, context.owner)) {
    if (undoOwned) journal.bus = name;
    await Promise.all([
      updateEventBusSettings(bus, properties, context),
      retagEventBus(bus.arn, tags, busTags(properties, context), context),
    ]);
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
  undoOwned: boolean,
): Promise<Discoverer> => {
  const tags = discovererTags(properties, context, busOwned);
  try {
    const discoverer = await createDiscoverer(bus.arn, properties, tags, context);
    journal.discoverer = discoverer.id;
    return discoverer;
  } catch (error) {
    if (!(error instanceof ConflictException)) throw error;
  }
  const existing = await findDiscoverer(bus.name, bus.arn, context);
  if (!existing) throw new Error(`Event bus ${bus.name} has a discoverer that could not be found; retry the request`);
  if (!isOwnedBy(existing.tags, context.owner)) throw foreignDiscoverer(bus.name, existing.id);
  if (undoOwned) journal.discoverer = existing.id;
  return updateDiscoverer(existing, properties, tags, context);
};

const undo = async (journal: Journal, context: RequestContext, budgetMs: number): Promise<void> => {
  if (!journal.bus && !journal.discoverer) return;
  log('WARN', 'request failed; undoing its partial work', { ...journal });
  try {
    if (journal.discoverer) await deleteDiscoverer(journal.discoverer, context);
    if (journal.bus) {
      await deleteEventBus(journal.bus, context, { budgetMs });
    }
    log('INFO', 'partial work undone', { ...journal });
  } catch (error) {
    log('WARN', 'undo incomplete', { ...journal, error });
  }
};

/**
 * Bus, then discoverer on exactly the ARN the bus call returned, then discovery state. On failure, takes back
 * what it created; `undoOwned` (a Create) also takes back what an earlier attempt of the same Create made.
 */
const provision = async (properties: Properties, context: RequestContext, undoOwned: boolean): Promise<Outcome> => {
  const journal: Journal = {};
  try {
    const { bus, owned } = await ensureEventBus(properties, context, journal, undoOwned);
    const discoverer = await ensureDiscoverer(bus, owned, properties, context, journal, undoOwned);
    return outcome(bus, await setDiscovererState(discoverer, properties.discovererState, context));
  } catch (error) {
    await undo(journal, context, undoOwned ? Math.min(CREATE_UNDO_BUDGET_MS, timeLeft(context)) : timeLeft(context));
    throw error;
  }
};

export const createGithubEventBus = (properties: Properties, context: RequestContext): Promise<Outcome> =>
  provision(properties, context, true);

/**
 * A new name is a replacement: provision the new bus and leave the old one for CloudFormation's Delete.
 * Otherwise: two reads (bus and discoverer, side by side) heal drift, then only the calls the difference needs.
 */
export const updateGithubEventBus = async (
  id: string,
  properties: Properties,
  oldProperties: Properties | undefined,
  context: RequestContext,
): Promise<Outcome> => {
  if (properties.eventBusName !== id) return provision(properties, context, false);
  const [bus, usual] = await Promise.all([
    describeEventBus(id, context),
    describeDiscoverer(discovererIdFor(id), context),
  ]);
  if (!bus) {
    log('WARN', 'event bus is gone; creating it again', { busName: id });
    return provision(properties, context, false);
  }
  const found = await discovererOn(bus.arn, usual, context);
  if (found && !isOwnedBy(found.tags, context.owner)) throw foreignDiscoverer(id, found.id);

  // Our discoverer says whether the bus is ours; without it, the bus's own tags do.
  const busTagsNow = found ? undefined : await listEventBusTags(bus.arn, context);
  const busOwned = found ? found.tags[BUS_OWNED_TAG] === 'true' : isOwnedBy(busTagsNow, context.owner);
  if (!found && !busOwned && !properties.adoptExisting) throw foreignBus(id);

  const tags = discovererTags(properties, context, busOwned);
  const [, discoverer] = await Promise.all([
    busOwned &&
      Promise.all([
        updateEventBusSettings(bus, properties, context),
        retagEventBus(
          bus.arn,
          busTagsNow ?? busTags(oldProperties ?? properties, context),
          busTags(properties, context),
          context,
        ),
      ]),
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

/**
 * Discoverer first, then the bus, each only if ours. An id that is not a bus name was never issued for a bus.
 * Happy path: one read, two deletes.
 */
export const deleteGithubEventBus = async (id: string, context: RequestContext): Promise<void> => {
  if (!isValidBusName(id)) {
    log('INFO', 'physical id is not an event bus name; nothing to delete', { physicalResourceId: id });
    return;
  }
  let discoverer = await describeDiscoverer(discovererIdFor(id), context);
  let busOwned: boolean;
  if (discoverer && isOwnedBy(discoverer.tags, context.owner)) {
    busOwned = discoverer.tags[BUS_OWNED_TAG] === 'true';
  } else {
    const bus = await describeEventBus(id, context);
    if (!bus) return;
    discoverer ??= await findDiscovererByBus(bus.arn, context);
    busOwned = isOwnedBy(await listEventBusTags(bus.arn, context), context.owner);
  }
  const discovererOwned = discoverer !== undefined && isOwnedBy(discoverer.tags, context.owner);
  if (discoverer && discovererOwned) await deleteDiscoverer(discoverer.id, context);
  else if (discoverer)
    log('INFO', 'leaving a discoverer this resource did not create', { discovererId: discoverer.id });
  if (!busOwned) {
    log('INFO', 'leaving an event bus this resource did not create', { busName: id });
    return;
  }
  await deleteEventBus(id, context, { awaitDiscovererRule: !discoverer || discovererOwned });
};
