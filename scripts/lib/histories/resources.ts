import type { BusSnapshot, DiscovererSnapshot, Emulator } from '../../emulator';
import type { LocalCloudFormation } from '../local-cloudformation';
import { LOGICAL_ID, STACKS, type StackKey } from './model';

// The ownership tags, as the README names them: what a stack's resource carries, and what nothing else does.
export const OWNER_TAG_PREFIX = 'github-event-bus:';
export const STACK_ID_TAG = `${OWNER_TAG_PREFIX}stack-id`;
export const LOGICAL_ID_TAG = `${OWNER_TAG_PREFIX}logical-id`;
export const BUS_OWNED_TAG = `${OWNER_TAG_PREFIX}bus-owned`;
// On a discoverer a stack adopted (AdoptExisting) rather than created: its own tags stay, the stack's Tags do not apply.
export const ADOPTED_TAG = `${OWNER_TAG_PREFIX}adopted`;
// EventBridge and Schemas allow 50 tags on a resource (keys starting aws: aside, and there are none here).
export const MAX_TAGS = 50;

export type Snapshot = { buses: BusSnapshot[]; discoverers: DiscovererSnapshot[] };

export const snapshot = (emulator: Emulator): Snapshot => ({
  buses: emulator.buses(),
  discoverers: emulator.discoverers(),
});

/** The stack whose ownership tags the resource carries, if any. */
export const ownerOf = (
  tags: Readonly<Record<string, string>>,
  stacks: Record<StackKey, LocalCloudFormation>,
): StackKey | undefined =>
  STACKS.find((key) => tags[STACK_ID_TAG] === stacks[key].stackId && tags[LOGICAL_ID_TAG] === LOGICAL_ID);

/** The name of the bus a discoverer is on. */
export const busNameOf = (discoverer: DiscovererSnapshot): string =>
  discoverer.sourceArn.slice(discoverer.sourceArn.indexOf(':event-bus/') + ':event-bus/'.length);

/** The user's tags: everything but the ownership tags. */
export const userTags = (tags: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(tags)
      .filter(([key]) => !key.startsWith(OWNER_TAG_PREFIX))
      .sort(([a], [b]) => a.localeCompare(b)),
  );

/** Logging as a bus has it: a member left out is at its default, so no LogConfig is Level OFF, IncludeDetail NONE. */
export const logging = (config: { IncludeDetail?: string; Level?: string } | undefined) => ({
  IncludeDetail: config?.IncludeDetail ?? 'NONE',
  Level: config?.Level ?? 'OFF',
});

/** What a bus's owner sets and people may change: its settings and every tag. */
export const busFace = (bus: BusSnapshot) => ({
  description: bus.description || undefined,
  deadLetterArn: bus.deadLetterArn,
  logConfig: logging(bus.logConfig),
  tags: Object.fromEntries(Object.entries(bus.tags).sort(([a], [b]) => a.localeCompare(b))),
});

export const discovererFace = (discoverer: DiscovererSnapshot) => ({
  sourceArn: discoverer.sourceArn,
  description: discoverer.description || undefined,
  state: discoverer.state,
  crossAccount: discoverer.crossAccount,
  tags: Object.fromEntries(Object.entries(discoverer.tags).sort(([a], [b]) => a.localeCompare(b))),
});

/** Every resource by a key that names it, with its face: for telling what changed between two snapshots. */
export const faces = (state: Snapshot): Map<string, { face: string; tags: Readonly<Record<string, string>> }> =>
  new Map([
    ...state.buses.map((bus) => [`bus ${bus.name}`, { face: JSON.stringify(busFace(bus)), tags: bus.tags }] as const),
    ...state.discoverers.map(
      (discoverer) =>
        [
          `discoverer ${discoverer.id}`,
          { face: JSON.stringify(discovererFace(discoverer)), tags: discoverer.tags },
        ] as const,
    ),
  ]);

/** The stack's bus and discoverer under a bus name, if they exist and carry its tags. */
export const ownedUnder = (
  state: Snapshot,
  stack: StackKey,
  name: string,
  stacks: Record<StackKey, LocalCloudFormation>,
): string[] => [
  ...state.buses
    .filter((bus) => bus.name === name && ownerOf(bus.tags, stacks) === stack)
    .map((bus) => `bus ${bus.name}`),
  ...state.discoverers
    .filter((discoverer) => busNameOf(discoverer) === name && ownerOf(discoverer.tags, stacks) === stack)
    .map((discoverer) => `discoverer ${discoverer.id}`),
];

/** The bus names under which the stack owns anything. */
export const namesOwnedBy = (
  state: Snapshot,
  stack: StackKey,
  stacks: Record<StackKey, LocalCloudFormation>,
): Set<string> =>
  new Set([
    ...state.buses.filter((bus) => ownerOf(bus.tags, stacks) === stack).map((bus) => bus.name),
    ...state.discoverers.filter((discoverer) => ownerOf(discoverer.tags, stacks) === stack).map(busNameOf),
  ]);
