import fc from 'fast-check';
import type { Fault, FaultAction, ServiceName } from '../../emulator';
import type { KnownBug } from './known-bugs';

export type RequestType = 'Create' | 'Update' | 'Delete';

/** What goes wrong around one request: AWS faults, a discoverer rule that lingers, AWS's clock, the Lambda's time. */
export type Trouble = {
  faults: Fault[];
  ruleLingerMs: number;
  clockSkewMs: number;
  /** The Lambda has 60 % of its usual time left when the request arrives. */
  shortLambda: boolean;
};

export const NO_TROUBLE: Trouble = { faults: [], ruleLingerMs: 0, clockSkewMs: 0, shortLambda: false };

type Call = { service: ServiceName; operation: string };

// The calls the handler makes (handler/resource/*.ts); CreateEventBus and CreateDiscoverer are its create calls.
const CALLS: Call[] = [
  ...[
    'CreateEventBus',
    'DescribeEventBus',
    'UpdateEventBus',
    'DeleteEventBus',
    'ListTagsForResource',
    'TagResource',
    'UntagResource',
    'ListRules',
  ].map((operation) => ({ service: 'events' as const, operation })),
  ...[
    'CreateDiscoverer',
    'DescribeDiscoverer',
    'UpdateDiscoverer',
    'DeleteDiscoverer',
    'ListDiscoverers',
    'StartDiscoverer',
    'StopDiscoverer',
    'TagResource',
    'UntagResource',
  ].map((operation) => ({ service: 'schemas' as const, operation })),
];

const isCreateCall = ({ operation }: Fault): boolean =>
  operation === 'CreateEventBus' || operation === 'CreateDiscoverer';

/** Faults after which the call has taken effect although its caller never learns it. */
const applies = (action: FaultAction): boolean =>
  action.type === 'drop' || (action.type === 'hang' && action.applied === true);

const isPermanent = (fault: Fault): boolean => fault.times === Number.POSITIVE_INFINITY;

// A service's own words for "try again": 5xx, and ConcurrentModificationException for EventBridge's changes.
const transientErrors: Record<ServiceName, FaultAction[]> = {
  events: [
    { type: 'error', name: 'InternalException', status: 500 },
    { type: 'error', name: 'ConcurrentModificationException', status: 400 },
  ],
  schemas: [
    { type: 'error', name: 'InternalServerErrorException', status: 500 },
    { type: 'error', name: 'ServiceUnavailableException', status: 503 },
  ],
};

// As IAM refuses a call: for good, and at once.
const refusals: Record<ServiceName, FaultAction> = {
  events: { type: 'error', name: 'AccessDeniedException', status: 400 },
  schemas: { type: 'error', name: 'ForbiddenException', status: 403 },
};

const callsNamed = (...operations: string[]): Call[] => CALLS.filter((call) => operations.includes(call.operation));

// The calls most requests make, so that a fault meets one more often than not.
const COMMON = callsNamed(
  'CreateEventBus',
  'CreateDiscoverer',
  'DescribeEventBus',
  'DescribeDiscoverer',
  'StopDiscoverer',
  'DeleteEventBus',
);

const callArb = (): fc.Arbitrary<Call> =>
  fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...COMMON) }, { weight: 1, arbitrary: fc.constantFrom(...CALLS) });

// No delay that outlasts the client's patience: its effect could land after the request answered, which no
// handler can see or take back.
const transientFault = (call: Call, actions?: FaultAction[]): fc.Arbitrary<Fault> =>
  fc.record({
    service: fc.constant(call.service),
    operation: fc.constant(call.operation),
    nth: fc.integer({ min: 1, max: 2 }),
    times: fc.constantFrom(1, 1, 2),
    action: fc.constantFrom<FaultAction>(
      ...(actions ?? [
        { type: 'throttle' },
        ...transientErrors[call.service],
        { type: 'drop' },
        { type: 'hang' },
        { type: 'hang', applied: true },
      ]),
    ),
  });

/** A call that fails for good: refused, or hung until the request's time is up. */
const permanentFault = (call: Call, actions?: FaultAction[]): fc.Arbitrary<Fault> =>
  fc.record({
    service: fc.constant(call.service),
    operation: fc.constant(call.operation),
    nth: fc.integer({ min: 1, max: 3 }),
    times: fc.constant(Number.POSITIVE_INFINITY),
    action: fc.constantFrom<FaultAction>(...(actions ?? [refusals[call.service], { type: 'hang' }])),
  });

const faultArb = (): fc.Arbitrary<Fault> =>
  callArb().chain((call) =>
    fc.oneof({ weight: 3, arbitrary: transientFault(call) }, { weight: 1, arbitrary: permanentFault(call) }),
  );

const on = (service: ServiceName, operation: string, action: FaultAction, times = 1): Fault => ({
  service,
  operation,
  nth: 1,
  times,
  action,
});

const refused = (service: ServiceName, operation: string): Fault =>
  on(service, operation, refusals[service], Number.POSITIVE_INFINITY);

const aimed = (faults: Fault[][], more: Partial<Record<keyof Trouble, fc.Arbitrary<unknown>>> = {}) =>
  fc.record({
    faults: fc.constantFrom(...faults),
    ruleLingerMs: fc.constant(0),
    clockSkewMs: fc.constant(0),
    shortLambda: fc.boolean(),
    ...more,
  }) as fc.Arbitrary<Trouble>;

// The calls a request makes only when something differs: where a late copy fails after its creates converged.
const CHANGES = [
  ['events', 'UpdateEventBus'],
  ['events', 'TagResource'],
  ['events', 'UntagResource'],
  ['schemas', 'UpdateDiscoverer'],
  ['schemas', 'TagResource'],
  ['schemas', 'UntagResource'],
  ['schemas', 'StartDiscoverer'],
  ['schemas', 'StopDiscoverer'],
] as const;

/**
 * Trouble aimed at a known bug: its trigger, where it bites. A history that meets the bug's other conditions (a
 * replacement, a late copy, two copies at once) then shows it often enough for a soak to find it in minutes.
 */
const AIMED: Record<KnownBug, fc.Arbitrary<Trouble> | undefined> = {
  // A create call retried into AlreadyExists, then every call a difference needs refused.
  'retried-create-call': aimed(
    [on('events', 'CreateEventBus', { type: 'throttle' }), on('schemas', 'CreateDiscoverer', { type: 'hang' })].map(
      (retried) => [retried, ...CHANGES.map(([service, operation]) => refused(service, operation))],
    ),
  ),
  'lost-create-answer-then-failure': aimed([
    [on('events', 'CreateEventBus', { type: 'drop' }), refused('events', 'DescribeEventBus')],
    [on('events', 'CreateEventBus', { type: 'hang', applied: true }), refused('events', 'ListTagsForResource')],
    [on('schemas', 'CreateDiscoverer', { type: 'drop' }), refused('schemas', 'DescribeDiscoverer')],
  ]),
  'clock-skew': aimed([[on('events', 'CreateEventBus', { type: 'hang', applied: true }, Number.POSITIVE_INFINITY)]], {
    clockSkewMs: fc.constantFrom(-3_000, 3_000),
  }),
  'cut-short-discoverer-on-adopted-bus': aimed([
    [on('schemas', 'CreateDiscoverer', { type: 'hang', applied: true }, Number.POSITIVE_INFINITY)],
  ]),
  'rule-linger-on-undo': aimed(
    [
      [refused('schemas', 'StopDiscoverer')],
      [on('schemas', 'StopDiscoverer', { type: 'hang' }, Number.POSITIVE_INFINITY)],
    ],
    { ruleLingerMs: fc.constant(1_200) },
  ),
  'concurrent-duplicates': aimed(
    [
      [on('schemas', 'CreateDiscoverer', { type: 'hang' })],
      [on('events', 'CreateEventBus', { type: 'hang', applied: true })],
      [on('schemas', 'StopDiscoverer', { type: 'hang' })],
    ],
    { shortLambda: fc.constant(true) },
  ),
  // One copy runs out of time on a hung call, the other finds it answered.
  'duplicate-of-failed-replacement': aimed(
    [
      [on('schemas', 'CreateDiscoverer', { type: 'hang' })],
      [on('events', 'CreateEventBus', { type: 'hang' })],
      [on('schemas', 'StopDiscoverer', { type: 'hang' })],
    ],
    { shortLambda: fc.constant(true) },
  ),
  'cancelled-create': undefined,
  'dropped-adopt': undefined,
  // Races already hold it: AdoptExisting and a hung CreateDiscoverer are common draws.
  'adopted-other-stacks-bus': undefined,
  'bus-tag-drift': undefined,
};

/** Whether the faults hold a known bug's trigger the options leave out (see known-bugs.ts). */
const allowed = (faults: Fault[], bugs: ReadonlySet<KnownBug>): boolean => {
  const failing = faults.some(isPermanent);
  return faults.every((fault) => {
    if (!isCreateCall(fault) || isPermanent(fault)) return true;
    if (!failing) return true;
    return bugs.has(applies(fault.action) ? 'lost-create-answer-then-failure' : 'retried-create-call');
  });
};

/**
 * Most requests meet no trouble; the rest up to two faults, a lingering rule, less time, and (with its known bug)
 * a skewed clock; with known bugs on, some meet trouble aimed at one of them.
 */
export const troubleArb = (knownBugs: ReadonlySet<KnownBug>): fc.Arbitrary<Trouble> => {
  const aimedAt = [...knownBugs].flatMap((bug) => AIMED[bug] ?? []);
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(NO_TROUBLE) },
    {
      weight: 6,
      arbitrary: fc.record({
        faults: fc.array(faultArb(), { maxLength: 2 }).filter((faults) => allowed(faults, knownBugs)),
        ruleLingerMs: fc.constantFrom(0, 0, 0, 1_200),
        clockSkewMs: knownBugs.has('clock-skew') ? fc.constantFrom(0, 0, -3_000, 3_000) : fc.constant(0),
        shortLambda: fc.boolean(),
      }),
    },
    ...(aimedAt.length > 0 ? [{ weight: 4, arbitrary: fc.oneof(...aimedAt) }] : []),
  );
};

/** The rule linger a request meets: on a Delete always; on what may undo its work only with its known bug. */
export const ruleLingerFor = (trouble: Trouble, type: RequestType, bugs: ReadonlySet<KnownBug>): number =>
  type === 'Delete' || bugs.has('rule-linger-on-undo') ? trouble.ruleLingerMs : 0;

/** One line for a transcript. */
export const showTrouble = (trouble: Trouble): string => {
  const parts = trouble.faults.map((fault) => {
    const action =
      fault.action.type === 'error'
        ? fault.action.name
        : fault.action.type === 'hang' && fault.action.applied
          ? 'hang(applied)'
          : fault.action.type;
    const times = fault.times === Number.POSITIVE_INFINITY ? 'always' : `x${fault.times}`;
    return `${fault.service}:${fault.operation}#${fault.nth} ${action} ${times}`;
  });
  if (trouble.ruleLingerMs > 0) parts.push(`rule linger ${trouble.ruleLingerMs} ms`);
  if (trouble.clockSkewMs !== 0) parts.push(`AWS clock ${trouble.clockSkewMs > 0 ? '+' : ''}${trouble.clockSkewMs} ms`);
  if (trouble.shortLambda) parts.push('short Lambda time');
  return parts.length > 0 ? ` [${parts.join('; ')}]` : '';
};
