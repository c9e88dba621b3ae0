import { ServiceError } from './errors';
import type { ServiceName } from './model';
import type { EmulatorState } from './state';

export interface OperationContext {
  region: string;
  state: EmulatorState;
}

/** Receives an input already validated against the model, returns the output members (or nothing for Unit). */
export type OperationHandler = (input: Record<string, unknown>, context: OperationContext) => object | undefined;

export interface ServiceDefinition {
  name: ServiceName;
  /** The error the service answers when an input breaks the model's constraints. */
  validationError: string;
  /** The error the service answers when it throttles (a model error shape, so its status comes from the model). */
  throttlingError: string;
  /** The 5xx error the service answers when something breaks inside it. */
  internalError: string;
  operations: Record<string, OperationHandler>;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** Offset pagination with an opaque token, as the List* operations need. */
export function paginate<T>(
  items: T[],
  limit: number | undefined,
  token: string | undefined,
  invalidToken: () => ServiceError,
): Page<T> {
  let start = 0;
  if (token !== undefined) {
    start = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw invalidToken();
  }
  // Schemas' Limit has no range in the model; a page of 0 would make paginators loop forever.
  const size = limit !== undefined && limit > 0 ? limit : 100;
  const end = start + size;
  const nextToken = end < items.length ? Buffer.from(String(end), 'utf8').toString('base64url') : undefined;
  return { items: items.slice(start, end), ...(nextToken ? { nextToken } : {}) };
}

export function tagsToList(tags: Map<string, string>): { Key: string; Value: string }[] {
  return [...tags].map(([Key, Value]) => ({ Key, Value }));
}

export function tagsToRecord(tags: Map<string, string>): Record<string, string> {
  return Object.fromEntries(tags);
}

// Each resource can have at most 50 tags; keys with the reserved `aws:` prefix do not count against the limit.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-tagging.html
export const MAX_TAGS_PER_RESOURCE = 50;

/** Refuses, with the service's `errorCode`, a change that would leave a resource with more tags than allowed. */
export function assertTagLimit(keys: Iterable<string>, errorCode: string): void {
  let count = 0;
  for (const key of keys) if (!key.toLowerCase().startsWith('aws:')) count += 1;
  if (count > MAX_TAGS_PER_RESOURCE) {
    throw new ServiceError(
      errorCode,
      `A resource can have at most ${MAX_TAGS_PER_RESOURCE} tags; this request would leave it with ${count}.`,
    );
  }
}
