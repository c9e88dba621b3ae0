import { startEmulator } from '../emulator';
import type { Invocation } from '../lib/local-cloudformation';
import { answerProblems, EVENTS } from './calls';
import { create, type EventContext, playAgainst, remove } from './harness';
import { ratio } from './stats';

export type StormPhase = {
  title: string;
  requests: number;
  /** The AWS calls one request makes on the happy path (its call-count floor). */
  callsPerRequest: number;
  /** requests × calls per request ÷ rate: the time the endpoint needs to accept that many calls. */
  floorMs: number;
  wallMs: number;
  vsFloor: number | null;
  /** Requests answered anything but SUCCESS with the right id, or not answered once. */
  failed: number;
  /** Calls the endpoint received, and how many of them it throttled. */
  calls: number;
  throttled: number;
  problems: string[];
};

export type StormReport = {
  requests: number;
  callsPerSecond: number;
  latencyMs: number;
  phases: StormPhase[];
  /** Buses and discoverers of the storm still there after the Deletes. */
  left: number;
  ok: boolean;
};

export const FULL_STORM = { requests: 16, callsPerSecond: 4 } as const;
export const QUICK_STORM = { requests: 2, callsPerSecond: 20 } as const;

export type StormOptions = { requests: number; callsPerSecond: number; latencyMs: number; bundlePath?: string };

const floorOf = (key: string): number => EVENTS.find((event) => event.key === key)?.floor ?? Number.NaN;

/**
 * `requests` Creates sent at once through the built bundle against an endpoint that accepts `callsPerSecond` calls
 * a second (one token bucket for both services, burst 1, so no call rides a burst and the floor is the rate's),
 * then as many Deletes at once. Each phase's floor is its calls at that rate: requests × its call count ÷ rate.
 */
export const measureStorm = async ({
  requests,
  callsPerSecond,
  latencyMs,
  bundlePath,
}: StormOptions): Promise<StormReport> => {
  const emulator = await startEmulator({ latencyMs: 0, ruleLingerMs: 0 });
  try {
    return await playAgainst(emulator, bundlePath, async ({ send, contextFor }) => {
      const contexts = Array.from({ length: requests }, (_, index) => contextFor(`storm-${index}`));
      const phase = async (
        title: string,
        key: string,
        request: (context: EventContext) => Promise<Invocation>,
      ): Promise<StormPhase> => {
        const callsPerRequest = floorOf(key);
        const floorMs = ((requests * callsPerRequest) / callsPerSecond) * 1000;
        const before = emulator.calls.length;
        emulator.setLatency(latencyMs);
        emulator.setRateLimit({ callsPerSecond, burst: 1 });
        const started = Date.now();
        const invocations = await Promise.all(contexts.map(request));
        const wallMs = Date.now() - started;
        emulator.setRateLimit(undefined);
        const calls = emulator.calls.slice(before);
        const problems = invocations.map((invocation, index) =>
          answerProblems(invocation, (contexts[index] as EventContext).name),
        );
        return {
          title,
          requests,
          callsPerRequest,
          floorMs,
          wallMs,
          vsFloor: ratio(wallMs, floorMs),
          failed: problems.filter((list) => list.length > 0).length,
          calls: calls.length,
          throttled: calls.filter((call) => call.rateLimited).length,
          problems: [...new Set(problems.flat())],
        };
      };
      const phases = [
        await phase(`${requests} Creates at once`, 'create', (context) => send(create(context))),
        await phase(`${requests} Deletes at once`, 'delete', (context) => send(remove(context))),
      ];
      const names = new Set(contexts.map((context) => context.name));
      const left =
        emulator.buses().filter((bus) => names.has(bus.name)).length +
        emulator
          .discoverers()
          .filter((discoverer) => [...names].some((name) => discoverer.sourceArn.endsWith(`/${name}`))).length;
      return {
        requests,
        callsPerSecond,
        latencyMs,
        phases,
        left,
        ok: left === 0 && phases.every((result) => result.failed === 0),
      };
    });
  } finally {
    await emulator.close();
  }
};
