import type { RawProperties } from './properties';
import type { RequestType } from './trouble';

/** The two stacks (two StackIds) a history plays: each holds one Custom::GithubEventBus, logical id `Bus`. */
export const STACKS = ['A', 'B'] as const;
export type StackKey = (typeof STACKS)[number];
export const LOGICAL_ID = 'Bus';

export const otherStack = (stack: StackKey): StackKey => (stack === 'A' ? 'B' : 'A');

/** A copy of a request that Lambda has yet to deliver, late: after requests that came after it. */
export type LateCopy = { event: Record<string, unknown>; type: RequestType; name: string; life: number };

/** What CloudFormation knows of one stack's resource. */
export type StackModel = {
  /** Whether the resource exists for CloudFormation (its Create answered SUCCESS, no Delete yet). */
  live: boolean;
  /** Creates so far: a stack that removed the resource may add it again, with the same StackId. */
  life: number;
  /** The physical id and properties CloudFormation holds, while live. */
  id?: string;
  properties?: RawProperties;
  late: LateCopy[];
};

export type Model = { stacks: Record<StackKey, StackModel> };

export const initialModel = (): Model => ({
  stacks: { A: { live: false, life: 0, late: [] }, B: { live: false, life: 0, late: [] } },
});

/**
 * Whether a late copy may still come as Lambda delivers it without making the history one no handler could
 * keep: a Create or Update only while its bus is still the one CloudFormation holds (later, it would make
 * again what a Delete removed), a Delete only while the name is not the one held.
 */
export const lateCopyFits = (copy: LateCopy, stack: StackModel): boolean =>
  copy.type === 'Delete'
    ? !stack.live || stack.id !== copy.name
    : stack.live && stack.life === copy.life && stack.id === copy.name;
