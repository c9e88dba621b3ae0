import fc from 'fast-check';
import { History, type HistoryOptions } from './history';
import type { Violation } from './invariants';
import { initialModel, type Model } from './model';
import { canPlay, finish, playStep } from './play';
import { describeStep, type Step, stepArb } from './steps';
import type { World } from './world';

/** A step as fast-check's model-based commands take it: skipped where it cannot happen, played where it can. */
class StepCommand implements fc.AsyncCommand<Model, History> {
  constructor(readonly step: Step) {}

  check(model: Readonly<Model>): boolean {
    return canPlay(this.step, model);
  }

  run(model: Model, history: History): Promise<void> {
    return playStep(this.step, model, history);
  }

  toString(): string {
    return describeStep(this.step);
  }
}

export type PlayedHistory = {
  violations: Violation[];
  /** What went wrong in the run itself (not the handler), if anything did. */
  error?: string;
  transcript: string[];
  /** How often each kind of thing happened (requests, faults, renames, ...), to tell a sample that covers them. */
  coverage: Record<string, number>;
  ms: number;
};

/**
 * One history from nothing: `play` takes its steps, then every stack still there is deleted and the end checked.
 * What breaks an invariant is collected, not thrown, so the history runs to its end.
 */
export const playHistory = async (
  world: World,
  options: HistoryOptions,
  play: (model: Model, history: History) => Promise<void>,
): Promise<PlayedHistory> => {
  const started = Date.now();
  world.reset();
  const history = new History(world, options);
  const model = initialModel();
  let error: string | undefined;
  try {
    await play(model, history);
    await finish(model, history);
  } catch (thrown) {
    error = thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown);
  }
  return {
    violations: history.checker.violations,
    ...(error ? { error } : {}),
    transcript: history.transcript,
    coverage: Object.fromEntries(history.coverage),
    ms: Date.now() - started,
  };
};

/** A history given step by step (a known bug's, say); steps that cannot happen where they stand are skipped. */
export const playSteps = (world: World, options: HistoryOptions, steps: Step[]): Promise<PlayedHistory> =>
  playHistory(world, options, async (model, history) => {
    for (const step of steps) if (canPlay(step, model)) await playStep(step, model, history);
  });

export type HistoryResult = PlayedHistory & {
  seed: number;
  /** fast-check's path to this history: with the seed, replays it (RunOptions.path). */
  path: string;
};

export type RunOptions = HistoryOptions & {
  seed: number;
  histories: number;
  /** Replays the one history at this path (as a HistoryResult names it) instead of running `histories`. */
  path?: string;
  onResult?: (result: HistoryResult) => void;
};

/**
 * Runs random histories (fast-check's model-based commands) on the world, one after the other, checking the
 * invariants as each goes and at its end. A history with violations does not stop the run: each comes back with
 * the seed and path that replay it.
 */
export const runHistories = async (world: World, options: RunOptions): Promise<HistoryResult[]> => {
  const results: HistoryResult[] = [];
  // Steps that cannot happen where they come (an Update before any Create) are skipped, about half of them.
  const commands = fc.commands([stepArb(options.knownBugs).map((step) => new StepCommand(step))], {
    maxCommands: options.maxSteps * 2,
    size: 'max',
  });
  // Nothing fails the property, so fast-check never shrinks: the n-th history is at path "n".
  let run = options.path === undefined ? 0 : Number(options.path);
  const property = fc.asyncProperty(commands, async (steps) => {
    const played = await playHistory(world, options, (model, history) =>
      fc.asyncModelRun(() => ({ model, real: history }), steps),
    );
    const result: HistoryResult = { ...played, seed: options.seed, path: String(run) };
    run += 1;
    results.push(result);
    options.onResult?.(result);
    return true;
  });
  await fc.check(property, {
    seed: options.seed,
    numRuns: options.path === undefined ? options.histories : 1,
    ...(options.path === undefined ? {} : { path: options.path }),
  });
  return results;
};
