import type { Invocation } from '../lib/local-cloudformation';
import type { Properties, StackRequest } from '../lib/local-stack';

/** What a SUCCESS answer must hold, for CloudFormation and for this resource's contract. */
export type Expectation = { physicalResourceId?: string; attributes?: Record<string, string> };

/** One stack operation of the lifecycle, and what the answer to its own request must hold. */
export type Operation = { title: string; expect: Expectation } & (
  | { action: 'create' | 'update'; properties: Properties }
  | { action: 'delete' }
);

/**
 * Create, an Update that flips discovery, an Update that renames the bus (a replacement, whose cleanup deletes the
 * old bus), then the stack's Delete. The flip goes the other way when the template starts discovery STOPPED, so the
 * Update always changes something (CloudFormation sends no request for a resource that does not change).
 */
export const lifecycleOperations = (properties: Properties): Operation[] => {
  const name = String(properties.EventBusName);
  const renamed = `${name}-renamed`.slice(0, 256);
  const flipped = properties.DiscovererState === 'STOPPED' ? 'STARTED' : 'STOPPED';
  const toggled = { ...properties, DiscovererState: flipped };
  const moved = { ...toggled, EventBusName: renamed };
  return [
    {
      title: 'Create',
      action: 'create',
      properties,
      expect: { physicalResourceId: name, attributes: { EventBusName: name } },
    },
    {
      title: `Update: ${flipped === 'STOPPED' ? 'stop' : 'start'} discovery`,
      action: 'update',
      properties: toggled,
      expect: { physicalResourceId: name, attributes: { DiscovererState: flipped } },
    },
    {
      title: 'Update: rename (replacement)',
      action: 'update',
      properties: moved,
      expect: { physicalResourceId: renamed, attributes: { EventBusName: renamed, DiscovererState: flipped } },
    },
    { title: 'Delete', action: 'delete', expect: { physicalResourceId: renamed } },
  ];
};

/** The title and expectation of a request CloudFormation sent on its own: a rollback or a cleanup. */
export const followUp = (request: StackRequest): { title: string; expect: Expectation } => {
  const id = request.physicalResourceId;
  if (request.role === 'rollback' && request.requestType === 'Delete') {
    return { title: 'Rollback: Delete after the failed Create', expect: { physicalResourceId: id } };
  }
  if (request.role === 'rollback') {
    return {
      title: 'Rollback: Update back to the old properties',
      expect: { physicalResourceId: id, attributes: { EventBusName: String(request.properties.EventBusName) } },
    };
  }
  return { title: 'Delete the replaced bus', expect: { physicalResourceId: id } };
};

/** What CloudFormation would refuse in an answer, or what breaks the resource's contract. */
export const checkAnswer = (
  request: Pick<StackRequest, 'requestType' | 'physicalResourceId'>,
  expect: Expectation,
  invocation: Invocation,
): string[] => {
  const problems: string[] = [];
  const [answer, ...extra] = invocation.answers;
  if (!answer) return ['no answer arrived at the ResponseURL'];
  if (extra.length > 0) problems.push(`${invocation.answers.length} answers instead of one`);
  if (answer.Status !== 'SUCCESS') problems.push(`answered ${answer.Status}`);
  for (const key of ['StackId', 'RequestId', 'LogicalResourceId'] as const) {
    if (answer[key] !== invocation.event[key]) problems.push(`${key} not echoed`);
  }
  // A failed answer has no attributes to check, and any id will do for a failed Create (the Delete that follows
  // carries it); a failed Update's id becomes CloudFormation's record of the resource, so it must be the request's.
  const expectedId =
    answer.Status === 'SUCCESS'
      ? expect.physicalResourceId
      : request.requestType === 'Update'
        ? request.physicalResourceId
        : undefined;
  if (expectedId !== undefined && answer.PhysicalResourceId !== expectedId) {
    problems.push(`PhysicalResourceId ${answer.PhysicalResourceId}, expected ${expectedId}`);
  }
  if (answer.Status === 'SUCCESS') {
    for (const [key, value] of Object.entries(expect.attributes ?? {})) {
      if (answer.Data?.[key] !== value) problems.push(`attribute ${key} is ${answer.Data?.[key]}, expected ${value}`);
    }
  }
  if (invocation.headers['content-type'] !== '') problems.push('the response PUT had a content-type');
  return problems;
};
