export class DeadlineError extends Error {
  constructor(readonly budgetMs: number) {
    super(
      `The work did not finish within ${Math.round(budgetMs / 1000)} s, before the Lambda function's timeout; ` +
        'answering now so the stack does not hang. Retrying the stack operation continues where this one stopped.',
    );
    this.name = 'DeadlineError';
  }
}

// Time kept back to send the answer: a tenth of what is left, between 0.5 s and 10 s.
export const answerReserveMs = (remainingMs: number): number => Math.min(10_000, Math.max(500, remainingMs / 10));

export type Deadline = { at: number; budgetMs: number; expired: Promise<never>; cancel(): void };

/** A promise that rejects with DeadlineError when the work must stop so the answer still goes out in time. */
export const startDeadline = (remainingMs: number, now = Date.now()): Deadline => {
  const budgetMs = Math.max(0, remainingMs - answerReserveMs(remainingMs));
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(budgetMs)), budgetMs);
  });
  // Nobody may be listening when it fires after the work is done.
  expired.catch(() => undefined);
  return { at: now + budgetMs, budgetMs, expired, cancel: () => clearTimeout(timer) };
};
