import type { ListTagsForResourceResponse, TagResourceRequest, UntagResourceRequest } from '@aws-sdk/client-schemas';
import { ServiceError } from './errors';
import { assertTagLimit, type OperationContext, type OperationHandler, tagsToRecord } from './service';

// The model's TagResource and CreateDiscoverer both declare BadRequestException, the error for a refused input.
const BAD_REQUEST = 'BadRequestException';

// Only discoverers carry tags here; the discovered-schemas registry and its schemas have none.
function tagsOf({ state }: OperationContext, arn: string): Map<string, string> {
  const discoverer = state.discoverers.get(arn);
  if (!discoverer) throw new ServiceError('NotFoundException', `Resource ${arn} does not exist.`);
  return discoverer.tags;
}

function tagResource(input: Record<string, unknown>, context: OperationContext): undefined {
  const request = input as unknown as TagResourceRequest;
  const tags = tagsOf(context, request.ResourceArn as string);
  assertTagLimit(new Set([...tags.keys(), ...Object.keys(request.Tags ?? {})]), BAD_REQUEST);
  for (const [key, value] of Object.entries(request.Tags ?? {})) tags.set(key, value);
  return undefined;
}

function untagResource(input: Record<string, unknown>, context: OperationContext): undefined {
  const request = input as unknown as UntagResourceRequest;
  const tags = tagsOf(context, request.ResourceArn as string);
  for (const key of request.TagKeys ?? []) tags.delete(key);
  return undefined;
}

function listTagsForResource(input: Record<string, unknown>, context: OperationContext): ListTagsForResourceResponse {
  return { Tags: tagsToRecord(tagsOf(context, input.ResourceArn as string)) };
}

export const schemasTagOperations: Record<string, OperationHandler> = {
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};
