import { MAX_USER_TAGS } from '../../../handler/resource/properties';
import type { Fault } from '../../emulator';
import type { Invariant } from './invariants';
import type { Changes, RawProperties } from './properties';
import type { Step } from './steps';
import { NO_TROUBLE, type Trouble } from './trouble';

// Trouble that today's handler is known to get wrong: issue 19's list, and two more these histories found. A
// random history holds a bug's trigger only when HistoryOptions.knownBugs names it: npm run soak names them all
// (--without leaves some out), the fixed-seed test only those marked fixed, so it passes until the fixes land.
// Each bug also has a history of its own below, which shows it deterministically (test/property/histories.test.ts).
export const KNOWN_BUGS = {
  'cancelled-create':
    'CloudFormation gives up on a Create and sends a Delete with a physical id it made up: the bus and ' +
    'discoverer the Create made stay',
  'concurrent-duplicates':
    'two deliveries of one Create (or replacement) at once: the copy that fails takes back what the other ' +
    'one made and answered SUCCESS for',
  'retried-create-call':
    'a create call refused or unanswered before it did anything (throttled, 5xx, hung), whose retry finds the ' +
    'thing there, counts it as made by this request: a later failure deletes what was there before',
  'clock-skew':
    'whether a create cut short by the deadline made the bus is judged by comparing AWS clock (CreationTime) ' +
    'with the Lambda clock',
  'rule-linger-on-undo':
    'a failed Create or replacement waits for the discoverer rule only within the undo reserve: a rule that ' +
    'lingers longer leaves the new bus, and no Delete ever comes for a failed replacement',
  'lost-create-answer-then-failure':
    'a create call whose answer is lost, then a failure before the request has recorded the thing as its ' +
    'own: a failed replacement leaves the new bus',
  'dropped-adopt':
    'an Update that drops AdoptExisting from a resource on an adopted bus answers SUCCESS, leaving the bus ' +
    'neither managed nor refused',
  'duplicate-of-failed-replacement':
    'found by these histories: a second delivery of a replacement succeeds after the first answered FAILED, ' +
    'which CloudFormation acts on; the rollback Update that follows names the new bus in OldResourceProperties ' +
    'but leaves it, and no Delete ever comes for it',
  'cut-short-discoverer-on-adopted-bus':
    'found by these histories: a replacement onto an adopted bus whose CreateDiscoverer takes effect but does ' +
    'not answer before the deadline: the undo looks for such a discoverer only on a bus the request made, so ' +
    'it stays, and no Delete ever comes for it',
  'adopted-other-stacks-bus':
    'found by these histories: two stacks racing for one name with AdoptExisting: the one whose CreateEventBus ' +
    'lost adopts the bus the other just made, with its tags, and puts its discoverer on it; the other fails, and ' +
    "its bus can never be deleted while the adopter's discoverer rule is on it",
  'bus-tag-drift':
    'found by these histories: an Update diffs the bus tags from OldResourceProperties without reading them, ' +
    'so one that leaves Tags alone answers SUCCESS with tags changed since (by hand, or by a late copy of an ' +
    'earlier request) still on the bus',
} as const;

export type KnownBug = keyof typeof KNOWN_BUGS;

export const KNOWN_BUG_NAMES = Object.keys(KNOWN_BUGS) as KnownBug[];

/** Reads a comma-separated list of known bugs ("all" for every one); an unknown name is an error naming it. */
export const parseKnownBugs = (raw: string | undefined): Set<KnownBug> => {
  const names = (raw ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.includes('all')) return new Set(KNOWN_BUG_NAMES);
  const unknown = names.filter((name) => !(KNOWN_BUG_NAMES as string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown known bug ${unknown.join(', ')}; known: ${KNOWN_BUG_NAMES.join(', ')}`);
  }
  return new Set(names as KnownBug[]);
};

/** A history that shows a known bug on today's handler, and the invariants it breaks there. */
export type KnownBugHistory = {
  breaks: Invariant[];
  /** The Lambda function's time per delivery, when the history needs its own. */
  lambdaTimeoutMs?: number;
  steps: Step[];
};

const NAME = 'history-a';
const RENAMED = 'history-b';
const PERMANENT = Number.POSITIVE_INFINITY;
// One more than a resource's user tags may be: properties that fail before any AWS call.
const TOO_MANY_TAGS = Array.from({ length: MAX_USER_TAGS + 1 }, (_, index) => ({ Key: `tag-${index}`, Value: 'x' }));

const trouble = (faults: Fault[], more: Partial<Trouble> = {}): Trouble => ({ ...NO_TROUBLE, faults, ...more });

const create = (properties: RawProperties, more: Partial<Extract<Step, { kind: 'create' }>> = {}): Step => ({
  kind: 'create',
  stack: 'A',
  properties: { EventBusName: NAME, ...properties },
  delivery: 'once',
  cancelled: false,
  trouble: NO_TROUBLE,
  follow: NO_TROUBLE,
  ...more,
});

const update = (changes: Changes, more: Partial<Extract<Step, { kind: 'update' }>> = {}): Step => ({
  kind: 'update',
  stack: 'A',
  changes,
  delivery: 'once',
  rollback: false,
  trouble: NO_TROUBLE,
  follow: NO_TROUBLE,
  ...more,
});

/** For each known bug, a history that shows it: every one deterministic on today's handler. */
export const KNOWN_BUG_HISTORIES: Record<KnownBug, KnownBugHistory> = {
  'cancelled-create': { breaks: ['leftover'], steps: [create({}, { cancelled: true })] },
  // The copy that made the bus hangs on CreateDiscoverer past its 200 ms of work; the other copy makes the
  // discoverer and answers SUCCESS; the first one's undo finds "our" discoverer on "its" bus and deletes both.
  'concurrent-duplicates': {
    breaks: ['attributes'],
    lambdaTimeoutMs: 1_700,
    steps: [
      create(
        {},
        {
          delivery: 'concurrent',
          trouble: trouble([{ service: 'schemas', operation: 'CreateDiscoverer', action: { type: 'hang' } }]),
        },
      ),
    ],
  },
  // A late copy of the Create, after an Update stopped discovery: its throttled CreateEventBus is retried into
  // AlreadyExists, so the bus and discoverer count as its own; StartDiscoverer refused, it deletes them.
  'retried-create-call': {
    breaks: ['kept'],
    steps: [
      create({}, { delivery: 'late' }),
      update({ DiscovererState: 'STOPPED' }),
      {
        kind: 'late',
        stack: 'A',
        trouble: trouble([
          { service: 'events', operation: 'CreateEventBus', action: { type: 'throttle' } },
          {
            service: 'schemas',
            operation: 'StartDiscoverer',
            times: PERMANENT,
            action: { type: 'error', name: 'ForbiddenException', status: 403 },
          },
        ]),
      },
    ],
  },
  // A replacement whose CreateEventBus takes effect and never answers; with AWS's clock 3 s behind, the new bus
  // looks older than the request, so the undo leaves it, and no Delete ever comes for it.
  'clock-skew': {
    breaks: ['leftover'],
    steps: [
      create({}),
      update(
        { EventBusName: RENAMED },
        {
          trouble: trouble(
            [
              {
                service: 'events',
                operation: 'CreateEventBus',
                times: PERMANENT,
                action: { type: 'hang', applied: true },
              },
            ],
            { clockSkewMs: -3_000 },
          ),
        },
      ),
    ],
  },
  // A replacement refused at StopDiscoverer: the undo deletes the new discoverer, but its rule lingers 1.2 s,
  // past the undo's time, so the new bus stays.
  'rule-linger-on-undo': {
    breaks: ['leftover'],
    steps: [
      create({}),
      update(
        { EventBusName: RENAMED, DiscovererState: 'STOPPED' },
        {
          trouble: trouble(
            [
              {
                service: 'schemas',
                operation: 'StopDiscoverer',
                times: PERMANENT,
                action: { type: 'error', name: 'ForbiddenException', status: 403 },
              },
            ],
            { ruleLingerMs: 1_200 },
          ),
        },
      ),
    ],
  },
  // A replacement whose CreateEventBus answer is lost; its retry meets AlreadyExists, and the DescribeEventBus
  // that would prove the bus its own is refused: nothing is recorded, so nothing is undone.
  'lost-create-answer-then-failure': {
    breaks: ['leftover'],
    steps: [
      create({}),
      update(
        { EventBusName: RENAMED },
        {
          trouble: trouble([
            { service: 'events', operation: 'CreateEventBus', action: { type: 'drop' } },
            {
              service: 'events',
              operation: 'DescribeEventBus',
              times: PERMANENT,
              action: { type: 'error', name: 'AccessDeniedException', status: 400 },
            },
          ]),
        },
      ),
    ],
  },
  // The first delivery of a replacement is refused at StopDiscoverer (once) and answers FAILED, taking back its
  // work; the second makes the new bus and discoverer and answers SUCCESS, after CloudFormation took the FAILED.
  'duplicate-of-failed-replacement': {
    breaks: ['leftover'],
    steps: [
      create({}),
      update(
        { EventBusName: RENAMED, DiscovererState: 'STOPPED' },
        {
          delivery: 'twice',
          trouble: trouble([
            {
              service: 'schemas',
              operation: 'StopDiscoverer',
              action: { type: 'error', name: 'ForbiddenException', status: 403 },
            },
          ]),
        },
      ),
    ],
  },
  'dropped-adopt': {
    breaks: ['as-asked'],
    steps: [
      { kind: 'hand', action: 'make-bus', stack: 'A', name: NAME },
      create({ AdoptExisting: 'true' }),
      update({ AdoptExisting: undefined }),
    ],
  },
  'cut-short-discoverer-on-adopted-bus': {
    breaks: ['leftover'],
    steps: [
      { kind: 'hand', action: 'make-bus', stack: 'A', name: RENAMED },
      create({}),
      update(
        { EventBusName: RENAMED, AdoptExisting: 'true' },
        {
          trouble: trouble([
            {
              service: 'schemas',
              operation: 'CreateDiscoverer',
              times: PERMANENT,
              action: { type: 'hang', applied: true },
            },
          ]),
        },
      ),
    ],
  },
  // Both stacks adopt; the one whose CreateEventBus made the bus is first to CreateDiscoverer, which hangs once.
  // The other adopts that bus and makes its discoverer; the maker's retry meets it and fails, and its rollback
  // cannot delete its bus under the adopter's rule. The maker's stack then forgets it: its next Create (refused on
  // its properties, cancelled) ends in a Delete that answers SUCCESS, and the bus outlives both stacks.
  'adopted-other-stacks-bus': {
    breaks: ['leftover'],
    steps: [
      {
        kind: 'race',
        name: NAME,
        properties: [{ AdoptExisting: 'true' }, { AdoptExisting: 'true' }],
        trouble: trouble([{ service: 'schemas', operation: 'CreateDiscoverer', action: { type: 'hang' } }]),
        follow: NO_TROUBLE,
      },
      // Only the stack that has no bus of its own plays its step.
      ...(['A', 'B'] as const).map((stack) => create({ Tags: TOO_MANY_TAGS }, { stack, cancelled: true })),
    ],
  },
  'bus-tag-drift': {
    breaks: ['as-asked'],
    steps: [
      create({ Tags: [{ Key: 'team', Value: 'ci' }] }),
      { kind: 'hand', action: 'tag-bus', stack: 'A', name: NAME },
      // Only the discoverer changes, so the bus's tags are not read.
      update({ DiscovererState: 'STOPPED' }),
    ],
  },
};
