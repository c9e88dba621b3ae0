/** Who a resource belongs to: the stack and the logical id that created it. */
export type Owner = { stackId: string; logicalId: string };

/** The account and region the function (and so every resource it creates) lives in. */
export type Location = { partition: string; region: string; accountId: string };

/** What the resource logic needs from the request around it, without knowing it is CloudFormation's. */
export type RequestContext = {
  owner: Owner;
  /** Epoch ms the invocation started. */
  startedAt: number;
  /**
   * This invocation's own mark, unique to it: tagged on what it creates, so that what it made can be told apart
   * from what a copy of the same request made (Lambda delivers at least once, sometimes two copies at once),
   * without trusting clocks or the SDK's attempt count.
   */
  marker: string;
  /** Aborted when the work's time is up, and when the answer has gone out, so no AWS call outlives either. */
  signal: AbortSignal;
  /** Epoch ms by which work must stop so partial work can still be taken back and the answer sent. */
  deadlineAt: number;
  /**
   * For taking back partial work once the work has failed or run out of time: a later deadline, its own signal. The
   * undo may outlive the answer (see `failing`), so its deadline is the function's own, not the request's.
   */
  undo: { signal: AbortSignal; deadlineAt: number };
  /**
   * Called with the work's error before its partial work is taken back: the answer can then go out on time with
   * this error while the undo goes on.
   */
  failing?: (error: unknown) => void;
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
