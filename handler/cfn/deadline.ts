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

// Time kept back to send the answer: a tenth of the budget, between 0.5 s and 10 s.
export const answerReserveMs = (totalMs: number): number => Math.min(10_000, Math.max(500, totalMs / 10));

// Time kept back to take back partial work (delete a new discoverer, wait out its rule, delete a new bus):
// a quarter of the budget, between 1 s and 60 s.
export const undoReserveMs = (totalMs: number): number => Math.min(60_000, Math.max(1_000, totalMs / 4));

export type Deadline = {
  /** Epoch ms by which the work must stop; its signal aborts then. */
  workAt: number;
  work: AbortSignal;
  /** Epoch ms by which taking back partial work must stop, so the answer still goes out; its signal aborts then. */
  undoAt: number;
  undo: AbortSignal;
  /** Rejects with DeadlineError at `undoAt`: the answer must go out now, whatever is still running. */
  expired: Promise<never>;
  /** Whether the work's time ran out (as opposed to the work failing on its own). */
  workExpired(): boolean;
  /** The error to report when the work ran out of time. */
  error: DeadlineError;
  /** Clears the timers and aborts both signals: nothing may act after the answer. */
  finish(): void;
};

/**
 * Splits the budget: work first, then (unless `undo` is false) a reserve to take back partial work, then a reserve
 * to send the answer. Each phase ends with its signal aborting; the last one also rejects `expired`.
 */
export const startDeadline = (budget: Budget, { undo = true } = {}, now = Date.now()): Deadline => {
  const answerMs = answerReserveMs(budget.totalMs);
  const undoMs = undo ? undoReserveMs(budget.totalMs) : 0;
  const undoBudget = Math.max(0, budget.totalMs - answerMs);
  const workBudget = Math.max(0, undoBudget - undoMs);
  const error = new DeadlineError(workBudget, budget.source);
  const work = new AbortController();
  const undoing = new AbortController();
  const workTimer = setTimeout(() => work.abort(error), workBudget);
  let undoTimer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    undoTimer = setTimeout(() => {
      undoing.abort(error);
      reject(error);
    }, undoBudget);
  });
  // Nobody may be listening when it fires after the work is done.
  expired.catch(() => undefined);
  return {
    workAt: now + workBudget,
    work: work.signal,
    undoAt: now + undoBudget,
    undo: undoing.signal,
    expired,
    error,
    workExpired: () => work.signal.aborted && work.signal.reason === error,
    finish: () => {
      clearTimeout(workTimer);
      clearTimeout(undoTimer);
      work.abort();
      undoing.abort();
    },
  };
};
