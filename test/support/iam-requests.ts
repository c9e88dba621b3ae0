import type { CallRecord } from '../../scripts/emulator';
import { discovererIdFor } from '../../scripts/emulator';
import type { IamRequest, TagMap } from './iam-role';

/** The tags a resource has now, by ARN; undefined where there is no such resource. */
export type TagLookup = (arn: string) => TagMap | undefined;

type Input = Record<string, unknown>;

const tagListToMap = (tags: unknown): TagMap | undefined =>
  Array.isArray(tags) && tags.length > 0
    ? Object.fromEntries((tags as { Key: string; Value: string }[]).map((tag) => [tag.Key, tag.Value]))
    : undefined;

const tagRecord = (tags: unknown): TagMap | undefined =>
  tags && typeof tags === 'object' && Object.keys(tags).length > 0 ? (tags as TagMap) : undefined;

/**
 * The IAM authorizations one API call needs, per the Service Authorization Reference's "API operations" tables
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html,
 * .../list_amazoneventbridgeschemas.html): the action of the same name on the resource the call names, with the
 * resource's tags as they are before the call; creating with tags is also authorized as TagResource on the new
 * resource (for a discoverer, on its ARN and on "*", since no document says which). An operation not listed here throws, so a new call of the handler cannot slip past the check.
 */
export const iamRequestsOf = (call: CallRecord, account: string, tagsOf: TagLookup): IamRequest[] => {
  const input = (call.input ?? {}) as Input;
  const { region } = call;
  const action = `${call.service}:${call.operation}`;
  const on = (resource: string, rest: Partial<IamRequest> = {}): IamRequest => ({
    action,
    resource,
    region,
    ...(resource === '*' ? {} : { resourceTags: tagsOf(resource) }),
    ...rest,
  });
  const bus = (name: unknown) => `arn:aws:events:${region}:${account}:event-bus/${String(name ?? 'default')}`;
  const discoverer = (id: unknown) => `arn:aws:schemas:${region}:${account}:discoverer/${String(id)}`;

  switch (action) {
    case 'events:CreateEventBus': {
      const requestTags = tagListToMap(input.Tags);
      const creation = { action, resource: bus(input.Name), region, requestTags };
      return requestTags ? [creation, { ...creation, action: 'events:TagResource' }] : [creation];
    }
    case 'events:DescribeEventBus':
    case 'events:UpdateEventBus':
    case 'events:DeleteEventBus':
      return [on(bus(input.Name))];
    case 'events:ListTagsForResource':
      return [on(String(input.ResourceARN))];
    case 'events:TagResource':
      return [on(String(input.ResourceARN), { requestTags: tagListToMap(input.Tags) ?? {} })];
    case 'events:UntagResource':
      return [on(String(input.ResourceARN), { tagKeys: (input.TagKeys as string[]) ?? [] })];
    case 'events:ListRules':
      return [on('*')];
    case 'schemas:CreateDiscoverer': {
      const requestTags = tagRecord(input.Tags);
      const creation = { action, resource: '*', region, requestTags };
      const busName = String(input.SourceArn).split('event-bus/')[1] ?? '';
      // No document says which resource the tagging is authorized against: the role must allow both.
      const tagging = (resource: string) => ({ action: 'schemas:TagResource', resource, region, requestTags });
      return requestTags ? [creation, tagging(discoverer(discovererIdFor(busName))), tagging('*')] : [creation];
    }
    case 'schemas:DescribeDiscoverer':
    case 'schemas:UpdateDiscoverer':
    case 'schemas:DeleteDiscoverer':
    case 'schemas:StartDiscoverer':
    case 'schemas:StopDiscoverer':
      return [on(discoverer(input.DiscovererId))];
    // The reference names the discoverer resource; AWS's managed policies grant it on "*": both must hold.
    case 'schemas:ListDiscoverers':
      return [
        { action, resource: discoverer('*'), region },
        { action, resource: '*', region },
      ];
    case 'schemas:TagResource':
      return [on(String(input.ResourceArn), { requestTags: tagRecord(input.Tags) ?? {} })];
    case 'schemas:UntagResource':
      return [on(String(input.ResourceArn), { tagKeys: (input.TagKeys as string[]) ?? [] })];
    default:
      throw new Error(`no IAM mapping for ${action}: add it to test/support/iam-requests.ts`);
  }
};
