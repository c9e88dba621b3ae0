export class DeadlineError extends Error {
  constructor(
    readonly budgetMs: number,
    readonly source: BudgetSource = 'lambda',
  ) {
    const limit = source === 'ServiceTimeout' ? "the resource's ServiceTimeout" : "the Lambda function's timeout";
    super(
      `The work did not finish within ${Math.round(budgetMs / 1000)} s, before ${limit}; answering now so the ` +
        'stack does not hang. Retrying the stack operation continues where this one stopped.',
    );
    this.name = 'DeadlineError';
  }
}

export type BudgetSource = 'lambda' | 'ServiceTimeout';
export type Budget = { totalMs: number; source: BudgetSource };

// CloudFormation's own bounds for ServiceTimeout, in seconds; without one it waits an hour.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudformation-customresource.html
const SERVICE_TIMEOUT_MIN_S = 1;
const SERVICE_TIMEOUT_MAX_S = 3600;

/** ServiceTimeout in ms, or undefined when absent or malformed (CloudFormation validates it before we see it). */
export const serviceTimeoutMs = (raw: unknown): number | undefined => {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  // A blank string reads as 0, which is out of bounds like every other malformed value.
  const seconds = Number(raw);
  return Number.isInteger(seconds) && seconds >= SERVICE_TIMEOUT_MIN_S && seconds <= SERVICE_TIMEOUT_MAX_S
    ? seconds * 1000
    : undefined;
};

/**
 * How long this invocation has to answer: the earlier of the Lambda's remaining time and the request's
 * ServiceTimeout, both counted from when the invocation started (`elapsedMs` ago).
 */
export const requestBudget = (lambdaRemainingMs: number, serviceTimeout: unknown, elapsedMs: number): Budget => {
  const service = serviceTimeoutMs(serviceTimeout);
  if (service !== undefined && service - elapsedMs < lambdaRemainingMs) {
    return { totalMs: Math.max(0, service - elapsedMs), source: 'ServiceTimeout' };
  }
  return { totalMs: lambdaRemainingMs, source: 'lambda' };
};

// Time kept back to send the answer: a tenth of the budget, between 0.5 s and 10 s, and never more than a quarter
// of it, so that a tiny budget (ServiceTimeout 1) still leaves the work its share.
export const answerReserveMs = (totalMs: number): number => Math.min(10_000, Math.max(500, totalMs / 10), totalMs / 4);

// Time the answer waits for partial work to be taken back (delete a new discoverer, wait out its rule, delete a new
// bus), so that it usually reports a finished undo: a quarter of the budget, at most 60 s. An undo that needs longer
// goes on after the answer, within the function's own time (see undoAt).
export const undoReserveMs = (totalMs: number): number => Math.min(60_000, totalMs / 4);

export type Deadline = {
  /** Epoch ms by which the work must stop; its signal aborts then. */
  workAt: number;
  work: AbortSignal;
  /** Epoch ms by which the answer must go out: `expired` rejects then. */
  answerAt: number;
  /**
   * Epoch ms by which taking back partial work must stop: the function's own end, less the answer reserve of its
   * time. An undo still running when the answer goes out goes on until then; its signal aborts then.
   */
  undoAt: number;
  undo: AbortSignal;
  /** Rejects with DeadlineError at `answerAt`: the answer must go out now, whatever is still running. */
  expired: Promise<never>;
  /** Resolves at `undoAt`: whatever is still undoing then is abandoned. */
  undoEnded: Promise<void>;
  /** Whether the work's time ran out (as opposed to the work failing on its own). */
  workExpired(): boolean;
  /** The error to report when the work ran out of time. */
  error: DeadlineError;
  /** Ends the work at once (its signal aborts, `expired` never fires): the answer is going out. */
  endWork(): void;
  /** Clears the timers and aborts both signals: nothing may act after this. */
  finish(): void;
};

/**
 * Splits the budget: work first, then (unless `undo` is false) a reserve in which the answer waits for partial work
 * to be taken back, then a reserve to send the answer. The work's signal aborts at `workAt` and `expired` rejects at
 * `answerAt`. The undo may outlive the answer: its signal aborts at `undoAt`, the end of the function's own time
 * (`lambdaMs`, which the budget never exceeds) less a reserve, so the function still returns before Lambda stops it.
 */
export const startDeadline = (
  budget: Budget,
  { undo = true, lambdaMs = budget.totalMs }: { undo?: boolean; lambdaMs?: number } = {},
  now = Date.now(),
): Deadline => {
  const answerBudget = Math.max(0, budget.totalMs - answerReserveMs(budget.totalMs));
  const workBudget = Math.max(0, answerBudget - (undo ? undoReserveMs(budget.totalMs) : 0));
  const undoBudget = Math.max(answerBudget, lambdaMs - answerReserveMs(lambdaMs));
  const error = new DeadlineError(workBudget, budget.source);
  const work = new AbortController();
  const undoing = new AbortController();
  // Timers due at the same moment fire in the order set: work, then answer, then undo.
  const workTimer = setTimeout(() => work.abort(error), workBudget);
  let answerTimer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    answerTimer = setTimeout(() => {
      work.abort(error);
      reject(error);
    }, answerBudget);
  });
  const undoTimer = setTimeout(() => undoing.abort(error), undoBudget);
  // Nobody may be listening when it fires after the work is done.
  expired.catch(() => undefined);
  const undoEnded = new Promise<void>((resolve) => undoing.signal.addEventListener('abort', () => resolve()));
  return {
    workAt: now + workBudget,
    work: work.signal,
    answerAt: now + answerBudget,
    undoAt: now + undoBudget,
    undo: undoing.signal,
    expired,
    undoEnded,
    error,
    workExpired: () => work.signal.aborted && work.signal.reason === error,
    endWork: () => {
      clearTimeout(workTimer);
      clearTimeout(answerTimer);
      work.abort();
    },
    finish: () => {
      clearTimeout(workTimer);
      clearTimeout(answerTimer);
      clearTimeout(undoTimer);
      work.abort();
      undoing.abort();
    },
  };
};
