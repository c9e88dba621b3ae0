import type {
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  TagResourceRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-eventbridge';
import { ServiceError } from './errors';
import { assertTagLimit, type OperationContext, type OperationHandler, tagsToList } from './service';
import type { RuleState } from './state';

// The model declares no quota error for TagResource; LimitExceededException is the one it declares for
// CreateEventBus ("beyond the allowed service quota"), so both calls answer a 51st tag with it.
export const TAG_LIMIT_ERROR = 'LimitExceededException';

const BUS_ARN = /^arn:aws[\w-]*:events:[^:]+:\d{12}:event-bus\//;

/** The tag map of the bus or rule an ARN names; managed rules belong to their service and refuse tagging. */
function taggable({ region, state }: OperationContext, arn: string, changing: boolean): Map<string, string> {
  if (BUS_ARN.test(arn)) {
    const bus = state.findBus(region, arn);
    if (bus) return bus.tags;
  }
  let rule: RuleState | undefined;
  for (const bus of state.buses.values()) {
    for (const candidate of bus.rules.values()) if (candidate.arn === arn) rule = candidate;
  }
  if (!rule) throw new ServiceError('ResourceNotFoundException', `Resource ${arn} does not exist.`);
  if (changing && rule.managedBy) {
    throw new ServiceError('ManagedRuleException', `Rule ${rule.name} is managed by ${rule.managedBy}.`);
  }
  return rule.tags;
}

function tagResource(input: Record<string, unknown>, context: OperationContext): undefined {
  const request = input as unknown as TagResourceRequest;
  const tags = taggable(context, request.ResourceARN as string, true);
  const added = (request.Tags ?? []).map((tag) => tag.Key as string);
  assertTagLimit(new Set([...tags.keys(), ...added]), TAG_LIMIT_ERROR);
  for (const tag of request.Tags ?? []) tags.set(tag.Key as string, tag.Value as string);
  return undefined;
}

function untagResource(input: Record<string, unknown>, context: OperationContext): undefined {
  const request = input as unknown as UntagResourceRequest;
  const tags = taggable(context, request.ResourceARN as string, true);
  for (const key of request.TagKeys ?? []) tags.delete(key);
  return undefined;
}

function listTagsForResource(input: Record<string, unknown>, context: OperationContext): ListTagsForResourceResponse {
  const request = input as unknown as ListTagsForResourceRequest;
  return { Tags: tagsToList(taggable(context, request.ResourceARN as string, false)) };
}

export const eventBridgeTagOperations: Record<string, OperationHandler> = {
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};
