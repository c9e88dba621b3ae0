import type { Found } from '../lib/stack-leftovers';
import type { StepResult } from './print';

/** What the run found after its stack was deleted, and how far it got. */
export type RunEnd = {
  results: StepResult[];
  found: Found[];
  /** The bus names the run's requests used. */
  names: string[];
  completed: number;
  operations: number;
  signal?: NodeJS.Signals;
  stackId: string;
  /** The --endpoint a person can reach after the run; undefined for AWS and the built-in one. */
  endpoint?: string;
  /** Whether the endpoint was the one built into the run, which ends with it. */
  embedded: boolean;
};

export type Outcome = {
  ok: boolean;
  /** Why the run failed, in one line; undefined when it did not. */
  problem?: string;
  leftovers: string[];
  notOurs: string[];
  /** The table's last lines: what is left, and what is not the run's. */
  lines: string[];
};

const describe = (found: Found): string => `${found.kind} ${found.name}`;

/** `arn:...:stack/<name>/<uuid>`, by its name. */
const stackNameOf = (stackId: string): string => /:stack\/([^/]+)\//.exec(stackId)?.[1] ?? stackId;

/** Whose a bus or discoverer that is not this run's is, by its ownership tags. */
const ownerOf = (found: Found): string =>
  found.madeBy ? `made by stack ${stackNameOf(found.madeBy)}` : 'made outside any stack of this resource';

/** The one line that says why the run failed, naming a bus or discoverer in the way that is not this run's. */
const failureLine = (failed: StepResult, index: number, notOurs: Found[]): string => {
  const name = String(failed.properties.EventBusName);
  const blocker = failed.role === 'operation' ? notOurs.find((found) => found.name === name) : undefined;
  const problem = failed.problems[0] ?? 'no answer';
  const why = problem.startsWith('answered ') ? `${problem} (step ${index + 1} says why)` : problem;
  if (!blocker) return `${failed.title} was not accepted: ${why}.`;
  return (
    `${failed.title} was not accepted: ${describe(blocker)} is not this run's (${ownerOf(blocker)}) and was ` +
    'left alone. Delete it, pass --parameter EventBusName=ANOTHER-NAME, or adopt it with --parameter AdoptExisting=true.'
  );
};

/** How to remove what a run left at an endpoint that outlives it: discoverers first, as their rule holds the bus. */
const removeHint = (found: Found[], endpoint?: string): string => {
  const at = endpoint ? ` --endpoint-url ${endpoint}` : '';
  const commands = [
    ...found
      .filter((f) => f.kind === 'discoverer')
      .map((f) => `aws schemas delete-discoverer --discoverer-id ${f.name}${at}`),
    ...found.filter((f) => f.kind === 'event bus').map((f) => `aws events delete-event-bus --name ${f.name}${at}`),
  ];
  return `Remove with: ${commands.join('; ')}`;
};

/**
 * Whether the run is a success, and how it says so: left behind is only what its own stack made (the ownership tags
 * carry its StackId); the rest under its names was there before it, or is another run's, and is named as such.
 */
export const summarize = (end: RunEnd): Outcome => {
  const ours = end.found.filter((item) => item.ours);
  const notOurs = end.found.filter((item) => !item.ours);
  const leftovers = ours.map(describe);
  const failedAt = end.results.findIndex((result) => result.problems.length > 0);
  const failed = failedAt >= 0 || end.completed < end.operations;
  const left = ours.length > 0 ? ` Left behind by this run's stack: ${leftovers.join(', ')}.` : '';
  const problem = end.signal
    ? `Interrupted (${end.signal}) after ${end.completed} of ${end.operations} stack operations; ` +
      (left ? `its stack could not delete everything.${left}` : 'its stack deleted what it had made.')
    : failedAt >= 0
      ? `${failureLine(end.results[failedAt] as StepResult, failedAt, notOurs)}${left}`
      : failed
        ? `The lifecycle stopped after ${end.completed} of ${end.operations} stack operations.${left}`
        : left
          ? left.trim()
          : undefined;
  const ok = !failed && ours.length === 0;
  const gone = end.names.filter((name) => !end.found.some((item) => item.kind === 'event bus' && item.name === name));
  const lines = [
    ours.length > 0
      ? `Left behind by this run's stack ${stackNameOf(end.stackId)}: ${leftovers.join(', ')}. ${
          end.embedded ? 'They end with the built-in endpoint, now.' : removeHint(ours, end.endpoint)
        }`
      : `Nothing left behind by this run${gone.length > 0 ? ` (${gone.join(', ')} ${gone.length > 1 ? 'are' : 'is'} gone)` : ''}.${
          ok ? ' Lifecycle OK.' : ''
        }`,
    ...(notOurs.length > 0
      ? [`Not this run's, left alone: ${notOurs.map((item) => `${describe(item)} (${ownerOf(item)})`).join(', ')}.`]
      : []),
  ];
  return {
    ok,
    ...(problem ? { problem } : {}),
    leftovers,
    notOurs: notOurs.map((item) => `${describe(item)} (${ownerOf(item)})`),
    lines,
  };
};
