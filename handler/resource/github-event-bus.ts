import { ResourceAlreadyExistsException } from '@aws-sdk/client-eventbridge';
import { ConflictException } from '@aws-sdk/client-schemas';
import { mayHaveTakenEffect } from '../aws/clients';
import { log } from '../log';
import { type Attributes, SCHEMA_REGISTRY_NAME } from './attributes';
import { type Owner, type RequestContext, timeLeft, undoContext } from './context';
import {
  adoptDiscoverer,
  createDiscoverer,
  type Discoverer,
  deleteDiscoverer,
  describeDiscoverer,
  discovererIdFor,
  discovererOn,
  findDiscoverer,
  handBackDiscoverer,
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
import {
  ADOPTED_TAG,
  BUS_OWNED_TAG,
  diffTags,
  isMadeBy,
  isOwnedBy,
  MARKER_TAG,
  ownerStackOf,
  ownerTags,
  type TagMap,
  theirTags,
  toTagMap,
} from './ownership';
import { isValidBusName, type Properties } from './properties';

export type Outcome = { id: string; attributes: Attributes };

/**
 * What this request may take back if it fails: what this very invocation created, known from a create's answer or
 * from its mark on what it found (RequestContext.marker), and never what a copy of the request or another request
 * made. `unsure` names creates that failed in a way that may have taken effect (an answer lost, a call cut short):
 * the undo reads their mark before deciding.
 */
type Journal = {
  bus?: string;
  discoverer?: string;
  busArn?: string;
  /** A discoverer found on the bus that this invocation did not make: the bus must stay under it. */
  othersDiscoverer?: string;
  /** A discoverer this invocation adopted: taken back by removing the tags it put on. */
  adopted?: Discoverer;
  unsure: { bus?: boolean; discoverer?: boolean };
};

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

// What adoption puts on a discoverer someone else made: ownership, and that it is adopted (the bus with it).
const adoptionTags = (context: RequestContext): TagMap => ({
  ...ownerTags(context.owner),
  [BUS_OWNED_TAG]: 'false',
  [ADOPTED_TAG]: 'true',
});

const isAdopted = (discoverer: Discoverer): boolean => discoverer.tags[ADOPTED_TAG] === 'true';

/**
 * The tags a discoverer of ours should have. One we adopted keeps the tags its maker gave it and gets none of the
 * stack's Tags, as an adopted bus does: adoption manages discovery, not tags.
 */
const desiredDiscovererTags = (
  discoverer: Discoverer | undefined,
  properties: Properties,
  context: RequestContext,
  busOwned: boolean,
): TagMap =>
  discoverer && isAdopted(discoverer)
    ? { ...theirTags(discoverer.tags), ...adoptionTags(context) }
    : discovererTags(properties, context, busOwned);

// What a create call tags: the same, plus this invocation's mark, which nothing changes afterwards.
const marked = (tags: TagMap, context: RequestContext): TagMap => ({ ...tags, [MARKER_TAG]: context.marker });

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
    `Event bus ${name} already exists and was not created by this resource. To manage discovery on it (adopting ` +
      'the discoverer already there, if any) and hand both back on delete, set AdoptExisting: "true"; otherwise choose another EventBusName.',
  );

/**
 * A bus that is not ours, as found with its tags: refused, unless AdoptExisting allows and no other stack's
 * Custom::GithubEventBus manages it. Adoption takes over what people made by hand; a bus with another resource's
 * tags goes with that resource, and our discoverer on it would block its DeleteEventBus ("has rules").
 */
const refuseUnlessAdoptable = (name: string, tags: TagMap, properties: Properties): void => {
  const otherStack = ownerStackOf(tags);
  if (otherStack !== undefined) {
    throw new ForeignResourceError(
      `Event bus ${name} is managed by the Custom::GithubEventBus of stack ${otherStack}; only a bus made by hand ` +
        'can be adopted. Choose another EventBusName (if that stack no longer exists, delete the bus first).',
    );
  }
  if (!properties.adoptExisting) throw foreignBus(name);
};

const foreignDiscoverer = (busName: string, id: string, busOwned: boolean): ForeignResourceError =>
  new ForeignResourceError(
    `Event bus ${busName} already has schema discoverer ${id}, which this resource did not create; ` +
      (busOwned
        ? 'a bus can have only one. Delete that discoverer or choose another EventBusName.'
        : 'a bus can have only one. To manage discovery with it and hand it back on delete, set AdoptExisting: ' +
          '"true" (the bus is then adopted too); otherwise delete that discoverer or choose another EventBusName.'),
  );

/**
 * A discoverer found on the bus, made ours: one of ours as it is; someone else's adopted (tagged ours, and so
 * changeable) when AdoptExisting allows and the bus is adopted too, else refused.
 */
const takeDiscoverer = async (
  found: Discoverer,
  busName: string,
  busOwned: boolean,
  properties: Properties,
  context: RequestContext,
): Promise<Discoverer> => {
  if (isOwnedBy(found.tags, context.owner)) return found;
  const otherStack = ownerStackOf(found.tags);
  // Another stack's resource manages it: adoption takes over what people made by hand, never that.
  if (otherStack !== undefined) {
    throw new ForeignResourceError(
      `Event bus ${busName} already has schema discoverer ${found.id}, which the Custom::GithubEventBus of stack ` +
        `${otherStack} manages; a bus can have only one. Choose another EventBusName.`,
    );
  }
  if (!properties.adoptExisting || busOwned) throw foreignDiscoverer(busName, found.id, busOwned);
  log('INFO', 'adopting an existing discoverer; it will be handed back on delete', { discovererId: found.id });
  const adopted = await adoptDiscoverer(found, adoptionTags(context), context);
  // Tagging is not conditional: another stack adopting it at the same moment may have tagged it last. Only the
  // last one to tag it goes on; the other finds it not its own and fails, giving nothing back.
  const now = await describeDiscoverer(found.id, context);
  if (!now || !isOwnedBy(now.tags, context.owner)) {
    throw new ForeignResourceError(
      `Schema discoverer ${found.id} on event bus ${busName} was adopted by another Custom::GithubEventBus at the ` +
        'same moment; a bus can have only one. Choose another EventBusName.',
    );
  }
  return adopted;
};

/**
 * Runs one create call. Its result; or, when the thing already exists, `exists`. A create that failed in a way that
 * may have taken effect (any failure but AWS refusing every attempt) is marked unsure until what it may have made is
 * identified by its mark.
 */
const journaledCreate = async <T>(
  journal: Journal,
  what: keyof Journal['unsure'],
  AlreadyExists: abstract new (...args: never[]) => Error,
  create: () => Promise<T>,
): Promise<{ created: T } | { exists: true }> => {
  try {
    return { created: await create() };
  } catch (error) {
    if (mayHaveTakenEffect(error)) journal.unsure[what] = true;
    if (!(error instanceof AlreadyExists)) throw error;
    return { exists: true };
  }
};

/** Creates the bus; or finds it ours (a repeated request) and converges it; or adopts a foreign one if allowed. */
const ensureEventBus = async (
  properties: Properties,
  context: RequestContext,
  journal: Journal,
): Promise<{ bus: EventBus; owned: boolean }> => {
  const name = properties.eventBusName;
  const attempt = await journaledCreate(journal, 'bus', ResourceAlreadyExistsException, () =>
    createEventBus(properties, marked(busTags(properties, context), context), context),
  );
  if ('created' in attempt) {
    journal.bus = name;
    journal.busArn = attempt.created.arn;
    return { bus: attempt.created, owned: true };
  }
  const bus = await describeEventBus(name, context);
  if (!bus) throw new Error(`Event bus ${name} was reported to exist but could not be described; retry the request`);
  const tags = await listEventBusTags(bus.arn, context);
  journal.busArn = bus.arn;
  // Identified: made by this invocation (an attempt whose answer was lost), or by someone else.
  journal.unsure.bus = false;
  if (isOwnedBy(tags, context.owner)) {
    // Another request's (or another copy's) bus may have been answered SUCCESS already: that one is never taken back.
    if (isMadeBy(tags, context.owner, context.marker)) journal.bus = name;
    await updateEventBusSettings(bus, properties, context);
    await retagEventBus(bus.arn, tags, busTags(properties, context), context);
    return { bus, owned: true };
  }
  refuseUnlessAdoptable(name, tags, properties);
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
  const attempt = await journaledCreate(journal, 'discoverer', ConflictException, () =>
    createDiscoverer(bus.arn, properties, marked(tags, context), context),
  );
  if ('created' in attempt) {
    journal.discoverer = attempt.created.id;
    return attempt.created;
  }
  const existing = await findDiscoverer(bus.name, bus.arn, context);
  if (!existing) throw new Error(`Event bus ${bus.name} has a discoverer that could not be found; retry the request`);
  journal.unsure.discoverer = false;
  if (isMadeBy(existing.tags, context.owner, context.marker)) journal.discoverer = existing.id;
  else journal.othersDiscoverer = existing.id;
  const ours = await takeDiscoverer(existing, bus.name, busOwned, properties, context);
  if (ours !== existing) journal.adopted = ours;
  return updateDiscoverer(ours, properties, desiredDiscovererTags(ours, properties, context, busOwned), context);
};

/** Creates whose effect is unknown: what they made, if this invocation's mark is on it, joins the journal. */
const settleUnknownCreates = async (journal: Journal, name: string, context: RequestContext): Promise<void> => {
  const { unsure } = journal;
  journal.unsure = {};
  if (unsure.bus) {
    const bus = await currentBusTags(name, context);
    if (bus && isMadeBy(bus.tags, context.owner, context.marker)) {
      journal.bus = name;
      journal.busArn = bus.arn;
    }
  }
  // A discoverer create that was refused, or never made, leaves nothing to look for: should another request's
  // discoverer be on the bus, its rule makes DeleteEventBus refuse, and the bus stays.
  if (!unsure.discoverer) return;
  // The bus's discoverer, whoever made it: this invocation's is taken back; any other keeps the bus in place.
  const usual = await describeDiscoverer(discovererIdFor(name), context);
  const found = journal.busArn ? await discovererOn(journal.busArn, usual, context) : usual;
  if (found && isMadeBy(found.tags, context.owner, context.marker)) journal.discoverer = found.id;
  else if (found) journal.othersDiscoverer = found.id;
};

/** Takes back what the journal holds, discoverer first; within the undo's own time, never throwing. */
const undo = async (journal: Journal, name: string, failed: RequestContext): Promise<void> => {
  if (!journal.bus && !journal.discoverer && !journal.adopted && !journal.unsure.bus && !journal.unsure.discoverer) {
    return;
  }
  const context = undoContext(failed);
  log('WARN', 'request failed; undoing its partial work', {
    bus: journal.bus,
    discoverer: journal.discoverer,
    unsure: Object.keys(journal.unsure).filter((key) => journal.unsure[key as keyof Journal['unsure']]),
    budgetMs: timeLeft(context),
  });
  try {
    await settleUnknownCreates(journal, name, context);
    if (journal.adopted) {
      await handBackDiscoverer(journal.adopted, context);
      log('INFO', 'undo: adopted discoverer handed back', { discovererId: journal.adopted.id });
    }
    if (journal.discoverer) {
      await deleteDiscoverer(journal.discoverer, context);
      log('INFO', 'undo: discoverer deleted', { discovererId: journal.discoverer });
    }
    if (journal.bus && journal.othersDiscoverer) {
      // A copy of this request (or someone else) put it there: the bus is in use, and may be answered for already.
      log('INFO', 'undo: leaving the event bus, which carries a discoverer this invocation did not create', {
        busName: journal.bus,
        discovererId: journal.othersDiscoverer,
      });
    } else if (journal.bus) {
      // Only a discoverer this invocation deleted has a rule that will go; any other rule will not.
      await deleteEventBus(journal.bus, context, {
        budgetMs: timeLeft(context) - UNDO_MARGIN_MS,
        awaitDiscovererRule: journal.discoverer !== undefined,
      });
      log('INFO', 'undo: event bus deleted', { busName: journal.bus });
    }
    log('INFO', 'partial work undone', { bus: journal.bus, discoverer: journal.discoverer });
  } catch (error) {
    log('WARN', 'undo incomplete', { bus: journal.bus, discoverer: journal.discoverer, error });
  }
};

/**
 * Bus, then discoverer on exactly the ARN the bus call returned, then discovery state. On failure (or when its
 * time runs out), takes back what this invocation made: a failed Create's name is known to CloudFormation, but a
 * failed replacement's is not, and no Delete would ever come for it. The protocol is told of the failure first, so
 * its answer need not wait for an undo that outlasts the request's time.
 */
const provision = async (properties: Properties, context: RequestContext): Promise<Outcome> => {
  const journal: Journal = { unsure: {} };
  try {
    const { bus, owned } = await ensureEventBus(properties, context, journal);
    const discoverer = await ensureDiscoverer(bus, owned, properties, context, journal);
    return outcome(bus, await setDiscovererState(discoverer, properties.discovererState, context));
  } catch (error) {
    context.failing?.(error);
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
  const outcome = await updateInPlace(id, properties, oldProperties, context);
  const replaced = oldProperties?.eventBusName;
  if (replaced !== undefined && replaced !== id) {
    // The rollback of a replacement CloudFormation took as FAILED (it names the old bus as the id): a copy of that
    // replacement may still have made the new bus and answered too late, and no Delete will ever come for it.
    log('INFO', 'rollback of a failed replacement; removing what is ours under the new name', { busName: replaced });
    await deleteOwned(replaced, context);
  }
  return outcome;
};

/** The same name: two reads heal drift, then only the calls the difference needs. */
const updateInPlace = async (
  id: string,
  properties: Properties,
  oldProperties: Properties | undefined,
  context: RequestContext,
): Promise<Outcome> => {
  const [bus, usual] = await Promise.all([
    describeEventBus(id, context),
    describeDiscoverer(discovererIdFor(id), context),
  ]);
  if (!bus) {
    log('WARN', 'event bus is gone; creating it again', { busName: id });
    return provision(properties, context);
  }
  const onBus = await discovererOn(bus.arn, usual, context);
  const ours = onBus && isOwnedBy(onBus.tags, context.owner) ? onBus : undefined;
  const adopted = ours?.tags[BUS_OWNED_TAG] === 'false';
  // An adopted bus is left as found, unless the properties no longer adopt it: then only its own tags may say it is
  // ours (and so settings can be applied), or the Update fails as a Create would.
  const mustRead =
    !ours || (adopted ? !properties.adoptExisting : busChangeExpected(bus, properties, oldProperties, context));
  const busTagsNow = mustRead ? await listEventBusTags(bus.arn, context) : undefined;
  const busOwned = busTagsNow ? isOwnedBy(busTagsNow, context.owner) : !adopted;
  if (busTagsNow && !busOwned) refuseUnlessAdoptable(id, busTagsNow, properties);
  if (ours && !adopted && !busOwned) {
    log('WARN', 'the event bus no longer carries our tags; leaving it alone as adopted', { busName: id });
  }
  // A discoverer someone else put on an adopted bus since is adopted too. No undo gives it back: this Update keeps
  // its name, so CloudFormation's Delete of it will.
  const found = onBus && (await takeDiscoverer(onBus, id, busOwned, properties, context));

  const tags = desiredDiscovererTags(found, properties, context, busOwned);
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
        : await createDiscoverer(bus.arn, properties, marked(tags, context), context);
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
 * by side (the bus's ARN is named without a call), so a Delete is one round of reads and two deletes.
 */
const deleteOwned = async (id: string, context: RequestContext): Promise<void> => {
  const [bus, usual] = await Promise.all([
    currentBusTags(id, context),
    describeDiscoverer(discovererIdFor(id), context),
  ]);
  const discoverer = bus ? await discovererOn(bus.arn, usual, context) : usual;
  const discovererOwned = discoverer !== undefined && isOwnedBy(discoverer.tags, context.owner);
  if (discoverer && discovererOwned && isAdopted(discoverer)) {
    await handBackDiscoverer(discoverer, context);
    log('INFO', 'adopted discoverer handed back: our tags removed, left in place', {
      discovererId: discoverer.id,
      state: discoverer.state,
    });
  } else if (discoverer && discovererOwned) await deleteDiscoverer(discoverer.id, context);
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

// CloudFormation's own physical ids: `<stack name>-<logical id>-<12 or 13 capitals and digits>`, each name possibly
// cut short to fit. Logical ids are alphanumeric, so the last dash before the suffix ends the stack name.
const GENERATED_ID = /^(.+)-([A-Za-z0-9]+)-[A-Z0-9]{12,13}$/;

/**
 * Whether CloudFormation made this physical id up itself: it does for a Create it cancelled (another resource
 * failed meanwhile) or whose answer came after it stopped waiting, and then sends a Delete with it.
 */
export const isGeneratedId = (id: string, owner: Owner): boolean => {
  const [, stackPart = '', logicalPart = ''] = GENERATED_ID.exec(id) ?? [];
  const stackName = owner.stackId.split('/')[1] ?? '';
  return stackPart !== '' && stackName.startsWith(stackPart) && owner.logicalId.startsWith(logicalPart);
};

/**
 * Deletes what is ours under the id. Every id this resource answers is its bus's name, so an id that is not a bus
 * name was never issued for a bus. One CloudFormation generated itself never reached us: what the cancelled or late
 * Create made is found under the properties' EventBusName, and removed if it carries this stack's and logical id's
 * tags (so a live bus of this resource is never at risk: CloudFormation knows that one's id).
 */
export const deleteGithubEventBus = async (
  id: string,
  context: RequestContext,
  properties?: Properties,
): Promise<void> => {
  const named = properties?.eventBusName;
  if (named !== undefined && named !== id && isGeneratedId(id, context.owner)) {
    log('INFO', 'physical id made up by CloudFormation; deleting what is ours under EventBusName', {
      physicalResourceId: id,
      busName: named,
    });
    await deleteOwned(named, context);
  }
  if (!isValidBusName(id)) {
    log('INFO', 'physical id is not an event bus name; nothing to delete', { physicalResourceId: id });
    return;
  }
  await deleteOwned(id, context);
};
