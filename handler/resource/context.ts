/** Who a resource belongs to: the stack and the logical id that created it. */
export type Owner = { stackId: string; logicalId: string };

/** What the resource logic needs from the request around it, without knowing it is CloudFormation's. */
export type RequestContext = {
  owner: Owner;
  /** Aborted when the answer has gone out, so no AWS call outlives the request. */
  signal: AbortSignal;
  /** Epoch ms by which work must stop so the answer can still be sent. */
  deadlineAt: number;
};

export const timeLeft = (context: RequestContext): number => context.deadlineAt - Date.now();
