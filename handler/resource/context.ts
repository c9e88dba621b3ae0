/** Who a resource belongs to: the stack and the logical id that created it. */
export type Owner = { stackId: string; logicalId: string };

/** The account and region the function (and so every resource it creates) lives in. */
export type Location = { partition: string; region: string; accountId: string };

/** What the resource logic needs from the request around it, without knowing it is CloudFormation's. */
export type RequestContext = {
  owner: Owner;
  /** Epoch ms the invocation started: what AWS made after it, this request made (or a duplicate of it). */
  startedAt: number;
  /** Aborted when the work's time is up, and when the answer has gone out, so no AWS call outlives either. */
  signal: AbortSignal;
  /** Epoch ms by which work must stop so partial work can still be taken back and the answer sent. */
  deadlineAt: number;
  /** For taking back partial work once the work has failed or run out of time: a later deadline, its own signal. */
  undo: { signal: AbortSignal; deadlineAt: number };
  /** Where the function runs, when known: names a bus's ARN without a call. */
  location?: Location;
};

export const timeLeft = (context: RequestContext): number => context.deadlineAt - Date.now();

/** The context in which partial work is taken back: the undo's signal and deadline instead of the work's. */
export const undoContext = (context: RequestContext): RequestContext => ({
  ...context,
  signal: context.undo.signal,
  deadlineAt: context.undo.deadlineAt,
});
