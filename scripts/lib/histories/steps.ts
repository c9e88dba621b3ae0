import fc from 'fast-check';
import type { KnownBug } from './known-bugs';
import { STACKS, type StackKey } from './model';
import { busNameArb, type Changes, changesArb, nameOf, propertiesArb, type RawProperties } from './properties';
import { type Trouble, troubleArb } from './trouble';

/** How Lambda delivers a request: once, twice one after the other, twice at once, or once now and once late. */
export type Delivery = 'once' | 'twice' | 'concurrent' | 'late';

/** Changes made by hand between requests, with the AWS API, as people do. */
export type HandAction =
  | 'stop-discoverer'
  | 'delete-discoverer'
  | 'tag-bus'
  | 'untag-bus'
  | 'tag-discoverer'
  | 'delete-bus'
  | 'make-bus'
  | 'make-bus-and-discoverer';

/**
 * One thing that happens to the stacks: a CloudFormation operation (with every request it sends for this
 * resource), a change by hand, or a late delivery. `follow` is the trouble of the requests that follow the first
 * (a rollback, a cleanup Delete).
 */
export type Step =
  | {
      kind: 'create';
      stack: StackKey;
      properties: RawProperties;
      delivery: Delivery;
      /** CloudFormation gives up on it (ServiceTimeout, or another resource failed) and deletes it. */
      cancelled: boolean;
      trouble: Trouble;
      follow: Trouble;
    }
  | {
      kind: 'update';
      stack: StackKey;
      changes: Changes;
      delivery: Delivery;
      /** Another resource fails after this one succeeded: CloudFormation rolls this one back. */
      rollback: boolean;
      trouble: Trouble;
      follow: Trouble;
    }
  | { kind: 'delete'; stack: StackKey; delivery: Delivery; trouble: Trouble }
  | { kind: 'race'; name: string; properties: [RawProperties, RawProperties]; trouble: Trouble; follow: Trouble }
  | { kind: 'hand'; action: HandAction; stack: StackKey; name: string }
  | { kind: 'late'; stack: StackKey; trouble: Trouble };

const stackArb = (): fc.Arbitrary<StackKey> => fc.constantFrom<StackKey>(...STACKS);

const deliveryArb = (): fc.Arbitrary<Delivery> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant<Delivery>('once') },
    { weight: 1, arbitrary: fc.constantFrom<Delivery>('twice', 'concurrent', 'late') },
  );

/** The arbitrary of every step; the options leave out the triggers of known bugs they do not name. */
export const stepArb = (bugs: ReadonlySet<KnownBug>): fc.Arbitrary<Step> => {
  const trouble = troubleArb(bugs);
  // Concurrent copies of what creates (a Create, a replacement) only with their known bug.
  const creatingDelivery = deliveryArb().map((delivery) =>
    delivery === 'concurrent' && !bugs.has('concurrent-duplicates') ? 'twice' : delivery,
  );
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('create' as const),
        stack: stackArb(),
        properties: propertiesArb(),
        delivery: creatingDelivery,
        cancelled: bugs.has('cancelled-create') ? fc.constantFrom(false, false, true) : fc.constant(false),
        trouble,
        follow: trouble,
      }),
    },
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('update' as const),
        stack: stackArb(),
        changes: changesArb(),
        delivery: creatingDelivery,
        rollback: fc.boolean(),
        trouble,
        follow: trouble,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('delete' as const),
        stack: stackArb(),
        delivery: deliveryArb(),
        trouble,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('race' as const),
        name: busNameArb(),
        properties: fc.tuple(propertiesArb(), propertiesArb()),
        trouble,
        follow: trouble,
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('hand' as const),
        action: fc.oneof(
          {
            weight: 5,
            arbitrary: fc.constantFrom<HandAction>(
              'stop-discoverer',
              'delete-discoverer',
              ...(bugs.has('bus-tag-drift') ? (['tag-bus', 'untag-bus'] as const) : []),
              'tag-discoverer',
              'delete-bus',
            ),
          },
          // A person's bus is what adoption needs: more of them where adoption's known bugs are on.
          {
            weight: bugs.has('dropped-adopt') || bugs.has('cut-short-discoverer-on-adopted-bus') ? 6 : 3,
            arbitrary: fc.constantFrom<HandAction>('make-bus', 'make-bus', 'make-bus-and-discoverer'),
          },
        ),
        stack: stackArb(),
        name: busNameArb(),
      }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('late' as const), stack: stackArb(), trouble }) },
  );
};

export const describeStep = (step: Step): string => {
  switch (step.kind) {
    case 'create':
      return `create ${step.stack} ${nameOf(step.properties)}${step.cancelled ? ' (cancelled)' : ''} ${step.delivery}`;
    case 'update':
      return `update ${step.stack} ${JSON.stringify(Object.keys(step.changes))}${step.rollback ? ' then rollback' : ''} ${step.delivery}`;
    case 'delete':
      return `delete ${step.stack} ${step.delivery}`;
    case 'race':
      return `race A and B for ${step.name}`;
    case 'hand':
      return `by hand: ${step.action} (${step.action.startsWith('make') ? step.name : step.stack})`;
    case 'late':
      return `late copy for ${step.stack}`;
  }
};
