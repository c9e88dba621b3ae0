import { writeSync } from 'node:fs';

/** What the run is doing when a signal comes, for the line that says what happens next. */
export type RunState = {
  phase: 'starting' | 'running' | 'cleaning up' | 'checking';
  /** The request waiting for its answer, as the table titles it, with its physical id. */
  inFlight?: string;
  /** What this run's stack holds (physical ids) and would delete. */
  holds: string[];
  /** Whether what the run made outlives it: false for the endpoint built into this process. */
  outlives: boolean;
};

type Finish = (signal: NodeJS.Signals, line: string) => void;

// One Ctrl-C at a terminal reaches `npm start`'s node twice: from the terminal (to the whole foreground process
// group) and forwarded by npm (@npmcli/run-script's signal-manager). Signals this close together count as one.
const SAME_KEYPRESS_MS = 250;

// Straight to the file descriptor: while the handler runs, process.stdout and process.stderr are captured.
export const sayNow = (line: string): void => {
  writeSync(2, `${line}\n`);
};

const list = (ids: string[]): string => ids.join(', ');

/**
 * Ctrl-C (SIGINT) and SIGTERM at any moment: with nothing to clean up the run stops at once; otherwise it says what
 * it waits for and what it will delete, lets the current request be answered, then deletes what its stack holds.
 * A second signal stops at once, naming what may be left behind.
 */
class Interruption {
  signal?: NodeJS.Signals;
  /** A question waits on stderr for its answer: what a signal prints starts on a line of its own. */
  asking = false;
  private at = 0;
  private state: () => RunState = () => ({ phase: 'starting', holds: [], outlives: false });
  private finish: Finish = (_signal, line) => {
    sayNow(line);
    process.exit(130);
  };

  install(): void {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  /** From now on, signals read the run's state and end through `finish` (which prints the report, then exits). */
  configure(state: () => RunState, finish: Finish): void {
    this.state = state;
    this.finish = finish;
  }

  private readonly onSignal = (signal: NodeJS.Signals): void => {
    if (this.asking) sayNow('');
    const now = Date.now();
    if (this.signal === signal && now - this.at < SAME_KEYPRESS_MS) return;
    const { phase, inFlight, holds, outlives } = this.state();
    if (this.signal) {
      const mayStay = [...holds, ...(inFlight ? [`what ${inFlight} made (not answered yet)`] : [])];
      const left =
        outlives && mayStay.length > 0
          ? `; may be left behind: ${list(mayStay)}`
          : outlives
            ? ''
            : '; nothing outlives the built-in endpoint';
      this.finish(signal, `${signal} again: stopping now, without cleaning up${left}.`);
      return;
    }
    this.signal = signal;
    this.at = now;
    if (phase === 'checking' || (!inFlight && holds.length === 0)) {
      const what =
        phase === 'starting'
          ? 'nothing was created yet'
          : holds.length > 0
            ? `its stack could not delete ${list(holds)}, which stays`
            : 'nothing of this run’s stack is left to delete';
      this.finish(signal, `${signal}: ${what}; stopping.`);
      return;
    }
    const held = holds.length > 0 ? list(holds) : 'what it made';
    const next =
      phase === 'cleaning up'
        ? `already deleting what this run’s stack made${inFlight ? `, waiting for the answer to ${inFlight}` : ''}`
        : `${inFlight ? `waiting for the answer to ${inFlight}, then ` : ''}deleting ${held}, as deleting the stack would`;
    sayNow(`${signal}: ${next}. Ctrl-C again stops at once.`);
  };
}

export const interruption = new Interruption();
