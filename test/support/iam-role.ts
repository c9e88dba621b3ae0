// @cloud-copilot/iam-simulate is AGPL-3.0: a devDependency that only tests import, never the handler or its bundle.
import { type EvaluationResult, runSimulation, type SimulationIdentityPolicy } from '@cloud-copilot/iam-simulate';
import type { Template } from '../../scripts/lib/cfn-yaml';
import { functionPolicy } from '../../scripts/lib/iam-policy-checks';
import { PSEUDO, resolveProperties } from '../../scripts/lib/template-resource';

export const ACCOUNT = PSEUDO['AWS::AccountId'] as string;
export const REGION = PSEUDO['AWS::Region'] as string;

export type TagMap = Record<string, string>;

/** One authorization IAM makes: an action on a resource, with what the request and the resource carry. */
export type IamRequest = {
  action: string;
  /** An ARN, or `*` for an action without resource types. */
  resource: string;
  region: string;
  /** The resource's tags at the time of the call (`aws:ResourceTag/...`). */
  resourceTags?: TagMap;
  /** Tags the request sets (`aws:RequestTag/...`, and their keys as `aws:TagKeys`). */
  requestTags?: TagMap;
  /** Tag keys the request removes (`aws:TagKeys` of UntagResource). */
  tagKeys?: string[];
  /** Other keys of the request, such as `iam:AWSServiceName`. */
  context?: Record<string, string>;
};

/**
 * The inline policies of the function's role as a deploy with default parameters in ACCOUNT and REGION would
 * create them: pseudo parameters substituted, a `Ref` to a log group its name.
 */
export const deployedRolePolicies = (template: Template, functionId: string): SimulationIdentityPolicy[] => {
  const { roleId, problems } = functionPolicy(template, functionId);
  if (!roleId || problems.length > 0) throw new Error(`no role to simulate: ${problems.join('; ')}`);
  const logGroups = Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Logs::LogGroup')
    .map(([id, resource]) => {
      const properties = resolveProperties(template, resource.Properties ?? {}) as { LogGroupName?: string };
      return [id, String(properties.LogGroupName)] as const;
    });
  const policies = resolveProperties(template, template.Resources[roleId]?.Properties?.Policies, {
    ...Object.fromEntries(logGroups),
  }) as { PolicyName: string; PolicyDocument: unknown }[];
  return policies.map((policy) => ({ name: policy.PolicyName, policy: policy.PolicyDocument }));
};

const prefixed = (prefix: string, tags: TagMap | undefined): TagMap =>
  Object.fromEntries(Object.entries(tags ?? {}).map(([key, value]) => [`${prefix}${key}`, value]));

/** The request context IAM would see: region, resource tags, request tags and tag keys. */
export const contextOf = (request: IamRequest): Record<string, string | string[]> => {
  const tagKeys = request.tagKeys ?? (request.requestTags ? Object.keys(request.requestTags) : undefined);
  return {
    'aws:RequestedRegion': request.region,
    ...prefixed('aws:ResourceTag/', request.resourceTags),
    ...prefixed('aws:RequestTag/', request.requestTags),
    ...(tagKeys ? { 'aws:TagKeys': tagKeys } : {}),
    ...request.context,
  };
};

/** The simulator's decision for one request under the given identity policies. */
export const decide = async (policies: SimulationIdentityPolicy[], request: IamRequest): Promise<EvaluationResult> => {
  const resourceAccount = request.resource === '*' ? ACCOUNT : (request.resource.split(':')[4] ?? ACCOUNT);
  const outcome = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:role/github-event-bus-GithubEventBusFunctionRole-EXAMPLE`,
        action: request.action,
        resource: { resource: request.resource, accountId: resourceAccount || ACCOUNT },
        contextVariables: contextOf(request),
      },
      identityPolicies: policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (outcome.resultType === 'error') {
    throw new Error(`the simulator refused the request itself: ${JSON.stringify(outcome.errors)}`);
  }
  // A key that does not apply to the action and resource type is dropped before evaluation: the request would be
  // modelled wrong, so that is an error here rather than a silent difference.
  const ignored = outcome.resultType === 'single' ? (outcome.result.ignoredContextKeys ?? []) : [];
  if (ignored.length > 0) throw new Error(`${request.action} does not take the context keys ${ignored.join(', ')}`);
  return outcome.overallResult;
};
