// What CloudFormation sends after an answer, for this resource: the rollback of a failed Create (a Delete), the
// rollback of an Update (an Update back), the cleanup Delete after a replacement, and its own retries of what
// failed. Each is checked as it comes.
import type { CfnAnswer } from '../local-cloudformation';
import type { History, Sent } from './history';
import type { Held } from './invariants';
import { LOGICAL_ID, type Model, STACKS, type StackKey } from './model';
import { nameOf, type RawProperties } from './properties';
import { ownerOf } from './resources';
import type { Delivery } from './steps';
import { NO_TROUBLE, type Trouble } from './trouble';

// How often CloudFormation (or the person at the console) retries a rollback or Delete that failed, without faults.
const RETRIES = 2;

/** The bus names CloudFormation holds for live stacks (but the one a Delete removes), and any `extra`. */
export const heldNames = (model: Model, except?: Held, extra: Held[] = []): Held[] => [
  ...STACKS.flatMap((stack) => {
    const { live, id } = model.stacks[stack];
    return live && id && !(except?.stack === stack && except.name === id) ? [{ stack, name: id }] : [];
  }),
  ...extra,
];

/**
 * Retries a rollback or Delete that failed, as CloudFormation's "continue update rollback" or a second stack
 * delete would, with no faults this time. Where nobody else has had a bus under the stack's names, a retry that
 * fails again breaks "settles".
 */
const settle = async (history: History, stack: StackKey, first: Sent, again: () => Promise<Sent>, label: string) => {
  let sent = first;
  for (let retry = 1; retry <= RETRIES && sent.answer?.Status !== 'SUCCESS'; retry += 1) {
    history.count('retries without faults');
    // Without faults means without a rule still lingering from the failed attempt too: people retry later.
    await history.rulesGone();
    sent = await again();
    if (sent.answer?.Status !== 'SUCCESS' && !history.contested(stack)) {
      history.checker.unsettled(`${label} (retry ${retry})`, sent.answer);
    }
  }
  return sent;
};

/** Notes how a Delete for a name ended: a FAILED one tells CloudFormation it may have left something there. */
const noteDelete = (history: History, stack: StackKey, properties: RawProperties, answer?: CfnAnswer): void => {
  if (answer?.Status === 'SUCCESS') history.reported[stack].delete(nameOf(properties));
  else history.reported[stack].add(nameOf(properties));
};

/**
 * A Delete that ends the resource for CloudFormation (the stack's Delete, the rollback of a failed or cancelled
 * Create), retried until it succeeds or CloudFormation gives up; then nothing of the stack's may be left.
 */
export const endLife = async (
  history: History,
  model: Model,
  stack: StackKey,
  physicalResourceId: string,
  properties: RawProperties,
  options: { trouble: Trouble; delivery?: Delivery; label: string },
): Promise<Sent> => {
  const state = model.stacks[stack];
  const held = heldNames(model, { stack, name: physicalResourceId });
  const send = (trouble: Trouble, delivery: Delivery = 'once', label = options.label) =>
    history.send(stack, 'Delete', properties, { physicalResourceId, delivery, trouble, held, label });
  const first = await send(options.trouble, options.delivery);
  if (options.delivery === 'late') {
    state.late.push({ event: first.event, type: 'Delete', name: nameOf(properties), life: state.life });
  }
  const sent = await settle(
    history,
    stack,
    first,
    () => send(NO_TROUBLE, 'once', `${options.label}, again`),
    options.label,
  );
  if (sent.answer) history.checker.checkSuccess(stack, sent.event, sent.answer, options.label);
  noteDelete(history, stack, properties, sent.answer);
  state.live = false;
  state.id = undefined;
  state.properties = undefined;
  history.checker.checkLeftovers(stack, history.reported[stack], `${options.label}, after the last Delete`);
  return sent;
};

/** The Delete of the resource a replacement left behind; CloudFormation does not retry it if it fails. */
export const cleanUp = async (
  history: History,
  model: Model,
  stack: StackKey,
  physicalResourceId: string,
  properties: RawProperties,
  trouble: Trouble,
  label: string,
): Promise<void> => {
  history.count('cleanup deletes');
  const sent = await history.send(stack, 'Delete', properties, {
    physicalResourceId,
    trouble,
    held: heldNames(model),
    label,
  });
  if (sent.answer) history.checker.checkSuccess(stack, sent.event, sent.answer, label);
  noteDelete(history, stack, properties, sent.answer);
};

/**
 * An Update back to the properties CloudFormation held before (`to`, with the id `before`), from those of the
 * update it rolls back (`from`), sent to the physical id it holds now. Returns the answer it settled on.
 */
export const rollBack = async (
  history: History,
  model: Model,
  stack: StackKey,
  physicalResourceId: string,
  to: RawProperties,
  from: RawProperties,
  trouble: Trouble,
  before: string,
): Promise<CfnAnswer | undefined> => {
  const extra = before === physicalResourceId ? [] : [{ stack, name: before }];
  history.count('rollbacks');
  const state = model.stacks[stack];
  const send = (with_: Trouble, label: string) =>
    history.send(stack, 'Update', to, {
      physicalResourceId,
      oldProperties: from,
      trouble: with_,
      held: heldNames(model, undefined, extra),
      label,
    });
  const first = await send(trouble, 'rollback');
  const sent = await settle(history, stack, first, () => send(NO_TROUBLE, 'rollback, again'), 'rollback');
  state.properties = to;
  if (sent.answer?.Status === 'SUCCESS') {
    history.checker.checkSuccess(stack, sent.event, sent.answer, 'rollback');
    state.id = sent.answer.PhysicalResourceId;
  } else {
    // UPDATE_ROLLBACK_FAILED, continued with this resource skipped: CloudFormation goes back to what it held
    // before, and knowingly leaves whatever the update made (no Delete will come for it).
    state.id = before;
    if (before !== physicalResourceId) history.reported[stack].add(nameOf(from));
  }
  return sent.answer;
};

/** Counts a SUCCESS on a bus that is not the stack's own: AdoptExisting at work. */
export const countAdoption = (history: History, stack: StackKey, answer: CfnAnswer): void => {
  const bus = history.world.emulator.buses().find((candidate) => candidate.name === answer.PhysicalResourceId);
  if (bus && ownerOf(bus.tags, history.world.stacks) !== stack) history.count('adoptions');
};

/** What CloudFormation does with a Create's answer: holds the resource, or rolls it back with a Delete. */
export const settleCreate = async (
  history: History,
  model: Model,
  stack: StackKey,
  properties: RawProperties,
  sent: Sent,
  cancelled: boolean,
  follow: Trouble,
): Promise<void> => {
  const state = model.stacks[stack];
  if (cancelled || !sent.answer) {
    // It gave up waiting, or rolled the stack back for another resource: whatever this Create answers, it
    // deletes the resource under an id of its own making, with the same properties.
    history.note('  CloudFormation gives up on the Create');
    history.count('cancelled creates');
    const generated = history.world.stacks[stack].generatedPhysicalId(LOGICAL_ID);
    await endLife(history, model, stack, generated, properties, { trouble: follow, label: 'delete of the cancelled' });
    return;
  }
  history.checker.checkSuccess(stack, sent.event, sent.answer, 'create');
  if (sent.answer.Status === 'SUCCESS') {
    countAdoption(history, stack, sent.answer);
    state.live = true;
    state.id = sent.answer.PhysicalResourceId;
    state.properties = properties;
    return;
  }
  await endLife(history, model, stack, sent.answer.PhysicalResourceId, properties, {
    trouble: follow,
    label: 'rollback delete',
  });
};
