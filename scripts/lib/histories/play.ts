import { playByHand } from './by-hand';
import type { History, Sent } from './history';
import { type LateCopy, lateCopyFits, type Model, STACKS } from './model';
import { applyChanges, type Changes, nameOf, type RawProperties, sameProperties } from './properties';
import { cleanUp, countAdoption, endLife, heldNames, rollBack, settleCreate } from './protocol';
import { describeStep, type Step } from './steps';
import { NO_TROUBLE } from './trouble';

/** Whether the step can happen to the stacks as CloudFormation sees them; fast-check skips it otherwise. */
export const canPlay = (step: Step, model: Readonly<Model>): boolean => {
  switch (step.kind) {
    case 'create':
      return !model.stacks[step.stack].live;
    case 'update':
    case 'delete':
      return model.stacks[step.stack].live;
    case 'race':
      return STACKS.every((stack) => !model.stacks[stack].live);
    case 'hand':
      return step.action.startsWith('make-') || model.stacks[step.stack].live;
    case 'late':
      return model.stacks[step.stack].late.some((copy) => lateCopyFits(copy, model.stacks[step.stack]));
  }
};

const create = async (history: History, model: Model, step: Extract<Step, { kind: 'create' }>): Promise<void> => {
  const state = model.stacks[step.stack];
  state.life += 1;
  const sent = await history.send(step.stack, 'Create', step.properties, {
    delivery: step.delivery,
    trouble: step.trouble,
    held: heldNames(model),
    label: 'create',
  });
  if (step.delivery === 'late') {
    state.late.push({ event: sent.event, type: 'Create', name: nameOf(step.properties), life: state.life });
  }
  await settleCreate(history, model, step.stack, step.properties, sent, step.cancelled, step.follow);
};

/** Leaves AdoptExisting on where it adopted, unless its known bug is asked for (known-bugs.ts, dropped-adopt). */
const withoutKnownBugs = (history: History, old: RawProperties, changes: Changes): Changes => {
  const sameBus = (changes.EventBusName ?? old.EventBusName) === old.EventBusName;
  if (history.options.knownBugs.has('dropped-adopt') || old.AdoptExisting !== 'true' || !sameBus) return changes;
  const { AdoptExisting: _dropped, ...kept } = changes;
  return kept;
};

const update = async (history: History, model: Model, step: Extract<Step, { kind: 'update' }>): Promise<void> => {
  const state = model.stacks[step.stack];
  const id = state.id as string;
  const old = state.properties as RawProperties;
  const next = applyChanges(old, withoutKnownBugs(history, old, step.changes));
  if (sameProperties(next, old)) {
    history.note('  nothing changes: CloudFormation sends no Update');
    return;
  }
  // A replacement is delivered more than once only with its known bug (duplicate-of-failed-replacement).
  const renames = nameOf(next) !== nameOf(old);
  const delivery =
    renames && step.delivery !== 'once' && !history.options.knownBugs.has('duplicate-of-failed-replacement')
      ? 'once'
      : step.delivery;
  const sent = await history.send(step.stack, 'Update', next, {
    physicalResourceId: id,
    oldProperties: old,
    delivery,
    trouble: step.trouble,
    held: heldNames(model),
    label: 'update',
  });
  if (delivery === 'late') {
    state.late.push({ event: sent.event, type: 'Update', name: nameOf(next), life: state.life });
  }
  if (sent.answer?.Status !== 'SUCCESS') {
    await rollBack(history, model, step.stack, id, old, next, step.follow, id);
    return;
  }
  history.checker.checkSuccess(step.stack, sent.event, sent.answer, 'update');
  countAdoption(history, step.stack, sent.answer);
  const newId = sent.answer.PhysicalResourceId;
  state.properties = next;
  // CloudFormation tells a replacement by the physical id the answer names, not by the properties.
  if (newId === id) {
    if (step.rollback) await rollBack(history, model, step.stack, id, old, next, step.follow, id);
    return;
  }
  state.id = newId;
  history.count('replacements');
  if (!step.rollback) {
    await cleanUp(history, model, step.stack, id, old, step.follow, 'cleanup delete of the old');
    return;
  }
  // Rolled back after the replacement succeeded: the new resource is updated back to the old properties (the
  // old one is still there), and the new one deleted in the cleanup, unless the rollback answered with its id.
  const answer = await rollBack(history, model, step.stack, newId, old, next, step.follow, id);
  if (answer?.Status === 'SUCCESS' && answer.PhysicalResourceId !== newId) {
    await cleanUp(history, model, step.stack, newId, next, step.follow, 'cleanup delete of the new');
  }
};

const race = async (history: History, model: Model, step: Extract<Step, { kind: 'race' }>): Promise<void> => {
  const properties = step.properties.map((each): RawProperties => ({ ...each, EventBusName: step.name }));
  for (const stack of STACKS) model.stacks[stack].life += 1;
  history.count('races');
  const sent = await history.withTrouble(step.trouble, 'Create', () =>
    Promise.all(
      STACKS.map((stack, index) =>
        history.send(stack, 'Create', properties[index] as RawProperties, {
          trouble: step.trouble,
          troubleSet: true,
          held: [],
          label: `create ${stack}, at once with the other`,
        }),
      ),
    ),
  );
  for (const [index, stack] of STACKS.entries()) {
    await settleCreate(
      history,
      model,
      stack,
      properties[index] as RawProperties,
      sent[index] as Sent,
      false,
      step.follow,
    );
  }
};

const late = async (history: History, model: Model, step: Extract<Step, { kind: 'late' }>): Promise<void> => {
  const state = model.stacks[step.stack];
  // A copy with other Tags than those held leaves the bus's tags drifted: only with its known bug (bus-tag-drift).
  const tagsHeld = JSON.stringify(state.properties?.Tags);
  const drifts = (copy: LateCopy) =>
    copy.type !== 'Delete' &&
    JSON.stringify((copy.event.ResourceProperties as RawProperties).Tags) !== tagsHeld &&
    !history.options.knownBugs.has('bus-tag-drift');
  state.late = state.late.filter((copy) => lateCopyFits(copy, state) && !drifts(copy));
  const copy = state.late.shift();
  if (!copy) return;
  history.count('late copies');
  // CloudFormation has its answer already: this one only must not break anything.
  await history.deliver(step.stack, copy.event, { trouble: step.trouble, held: heldNames(model), label: 'late copy' });
};

const deleteStack = (history: History, model: Model, step: Extract<Step, { kind: 'delete' }>): Promise<Sent> => {
  const state = model.stacks[step.stack];
  return endLife(history, model, step.stack, state.id as string, state.properties as RawProperties, {
    trouble: step.trouble,
    delivery: step.delivery,
    label: 'delete',
  });
};

/** Plays one step: its requests, and the invariants after each of them and at its end. */
export const playStep = async (step: Step, model: Model, history: History): Promise<void> => {
  const label = describeStep(step);
  history.note(label);
  if (step.kind === 'hand') {
    history.count('changes by hand');
    await playByHand(history, model, step);
    return;
  }
  history.beginStep(label, step.kind === 'race' ? [...STACKS] : [step.stack]);
  switch (step.kind) {
    case 'create':
      await create(history, model, step);
      break;
    case 'update':
      await update(history, model, step);
      break;
    case 'delete':
      await deleteStack(history, model, step);
      break;
    case 'race':
      await race(history, model, step);
      break;
    case 'late':
      await late(history, model, step);
      break;
  }
  history.endStep(label);
};

/** The end of a history: every stack still there is deleted, the late Deletes come, nothing may be left. */
export const finish = async (model: Model, history: History): Promise<void> => {
  history.note('the stacks are deleted');
  for (const stack of STACKS) {
    const state = model.stacks[stack];
    history.beginStep(`the final delete of stack ${stack}`, [stack]);
    if (state.live) {
      await endLife(history, model, stack, state.id as string, state.properties as RawProperties, {
        trouble: NO_TROUBLE,
        label: `final delete ${stack}`,
      });
    }
    for (const copy of state.late.filter((each) => lateCopyFits(each, state))) {
      await history.deliver(stack, copy.event, {
        trouble: NO_TROUBLE,
        held: heldNames(model),
        label: `late copy for ${stack}`,
      });
    }
    state.late = [];
    history.endStep(`the end of stack ${stack}`);
    history.checker.checkLeftovers(stack, history.reported[stack], `the end of stack ${stack}`);
  }
};
