import { startEmulator } from '../emulator';
import { answerProblems } from './calls';
import { create, playAgainst, remove } from './harness';
import { median, ratio } from './stats';

export type LingerResult = {
  lingerMs: number;
  /** The Delete's wall time, from request to answer. */
  wallMs: number;
  /** wall − linger: what the Delete took beyond waiting for the rule. */
  beyondLingerMs: number;
  /** (wall − linger) ÷ floor. */
  vsFloor: number | null;
  /** wall − linger − floor: how late the Delete finished after the rule went, beyond one DeleteEventBus. */
  excessMs: number;
  meetsTarget: boolean;
  /** DeleteEventBus attempts, the first one (refused: "has rules") included. */
  deleteEventBusCalls: number;
  calls: number;
  problems: string[];
};

export type TeardownReport = {
  latencyMs: number;
  /** A Delete whose rule goes at once: the calls before the linger, then one DeleteEventBus. Median of runs. */
  floorMs: number;
  floorRunsMs: number[];
  targetExcessMs: number;
  results: LingerResult[];
  /** Wrong answers of the floor's runs. */
  problems: string[];
  ok: boolean;
};

/** The target: the Delete finishes within 1.5 s of the rule disappearing, however long it lingers. */
export const TARGET_EXCESS_MS = 1_500;
export const FULL_LINGERS_MS = [1_500, 4_500, 9_500, 20_000] as const;
export const QUICK_LINGERS_MS = [1_000] as const;

export type TeardownOptions = {
  latencyMs: number;
  lingersMs: readonly number[];
  /** Runs of the floor (the Delete at linger 0); the median counts. */
  floorRuns: number;
  bundlePath?: string;
};

/**
 * Deletes through the built bundle while the discoverer's managed rule lingers after DeleteDiscoverer (the emulator's
 * rule linger), against a floor measured in the same run: the same Delete with no linger, which ends with exactly
 * one DeleteEventBus after the rule is gone. The linger starts during the Delete (at DeleteDiscoverer), so
 * wall − linger − floor is the time the Delete spent after the rule went beyond that one call.
 */
export const measureTeardown = async ({
  latencyMs,
  lingersMs,
  floorRuns,
  bundlePath,
}: TeardownOptions): Promise<TeardownReport> => {
  const emulator = await startEmulator({ latencyMs: 0, ruleLingerMs: 0 });
  try {
    return await playAgainst(emulator, bundlePath, async ({ send, contextFor }) => {
      const deleteWith = async (key: string, lingerMs: number) => {
        const context = contextFor(key);
        emulator.setLatency(0);
        emulator.setRuleLinger(0);
        const setup = await send(create(context));
        const problems = answerProblems(setup, context.name).map((problem) => `setup: ${problem}`);
        emulator.setLatency(latencyMs);
        emulator.setRuleLinger(lingerMs);
        const before = emulator.calls.length;
        const invocation = await send(remove(context));
        const calls = emulator.calls.slice(before);
        problems.push(...answerProblems(invocation, context.name));
        const left = emulator.buses().filter((bus) => bus.name === context.name).length;
        if (left > 0) problems.push('the bus is still there');
        return {
          wallMs: invocation.ms,
          calls: calls.length,
          deleteEventBusCalls: calls.filter((call) => call.operation === 'DeleteEventBus').length,
          problems,
        };
      };

      const floorRunsMs: number[] = [];
      const floorProblems: string[] = [];
      for (let run = 0; run < floorRuns; run++) {
        const floor = await deleteWith(`teardown-floor-${run}`, 0);
        floorRunsMs.push(floor.wallMs);
        floorProblems.push(...floor.problems);
      }
      const floorMs = median(floorRunsMs);
      const results: LingerResult[] = [];
      for (const lingerMs of lingersMs) {
        const measured = await deleteWith(`teardown-${lingerMs}`, lingerMs);
        const beyondLingerMs = measured.wallMs - lingerMs;
        const excessMs = beyondLingerMs - floorMs;
        results.push({
          lingerMs,
          wallMs: measured.wallMs,
          beyondLingerMs,
          vsFloor: ratio(beyondLingerMs, floorMs),
          excessMs,
          meetsTarget: measured.problems.length === 0 && excessMs <= TARGET_EXCESS_MS,
          deleteEventBusCalls: measured.deleteEventBusCalls,
          calls: measured.calls,
          problems: [...new Set(measured.problems)],
        });
      }
      return {
        latencyMs,
        floorMs,
        floorRunsMs,
        targetExcessMs: TARGET_EXCESS_MS,
        results,
        problems: [...new Set(floorProblems.map((problem) => `floor: ${problem}`))],
        ok: floorProblems.length === 0 && results.every((result) => result.problems.length === 0),
      };
    });
  } finally {
    emulator.setRuleLinger(0);
    await emulator.close();
  }
};
