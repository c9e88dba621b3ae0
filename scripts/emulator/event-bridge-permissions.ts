import type { PutPermissionRequest, RemovePermissionRequest } from '@aws-sdk/client-eventbridge';
import { ServiceError } from './errors';
import type { OperationContext, OperationHandler } from './service';
import type { BusState, PolicyStatement } from './state';

const VALIDATION = 'ValidationException';
const NOT_FOUND = 'ResourceNotFoundException';
// "The permission policy on the event bus cannot exceed 10 KB in size." (PutPermission, EventBridge model)
const MAX_POLICY_BYTES = 10 * 1024;

function requireBus({ region, state }: OperationContext, name: string | undefined): BusState {
  const bus = state.findBus(region, name);
  if (!bus) throw new ServiceError(NOT_FOUND, `Event bus ${name ?? 'default'} does not exist.`);
  return bus;
}

/** The bus's resource policy as DescribeEventBus returns it: a JSON document, or nothing when it has no statement. */
export function policyDocument(bus: BusState): string | undefined {
  return bus.policy.length > 0 ? JSON.stringify({ Version: '2012-10-17', Statement: bus.policy }) : undefined;
}

/** The statement PutPermission's StatementId, Action, Principal and Condition stand for. */
function statementOf(request: PutPermissionRequest, bus: BusState): PolicyStatement {
  if (!request.StatementId || !request.Action || !request.Principal) {
    throw new ServiceError(VALIDATION, 'StatementId, Action and Principal are required when Policy is not given.');
  }
  const principal = request.Principal === '*' ? '*' : { AWS: `arn:aws:iam::${request.Principal}:root` };
  const { Type, Key, Value } = request.Condition ?? {};
  return {
    Sid: request.StatementId,
    Effect: 'Allow',
    Principal: principal,
    Action: request.Action,
    Resource: bus.arn,
    ...(Type && Key && Value ? { Condition: { [Type]: { [Key]: Value } } } : {}),
  };
}

/** The statements of a whole policy given as PutPermission's Policy, which replaces what the bus had. */
function statementsOf(policy: string): PolicyStatement[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    throw new ServiceError(VALIDATION, 'Policy is not valid JSON.');
  }
  const statements = (parsed as { Statement?: unknown } | null)?.Statement;
  if (!Array.isArray(statements) || !statements.every((s) => typeof s === 'object' && s !== null)) {
    throw new ServiceError(VALIDATION, 'Policy must be a JSON object with a Statement list.');
  }
  return statements as PolicyStatement[];
}

function putPermission(input: Record<string, unknown>, context: OperationContext): undefined {
  const request = input as PutPermissionRequest;
  const bus = requireBus(context, request.EventBusName);
  let policy: PolicyStatement[];
  if (request.Policy !== undefined) policy = statementsOf(request.Policy);
  else {
    const statement = statementOf(request, bus);
    // A StatementId is unique in the policy, and granting it again replaces its statement: the native
    // AWS::Events::EventBusPolicy updates a statement in place with PutPermission alone (its registry schema's update
    // handler needs only DescribeEventBus and PutPermission).
    const granted = bus.policy.some((existing) => existing.Sid === statement.Sid);
    policy = granted
      ? bus.policy.map((existing) => (existing.Sid === statement.Sid ? statement : existing))
      : [...bus.policy, statement];
  }
  const size = Buffer.byteLength(JSON.stringify({ Version: '2012-10-17', Statement: policy }));
  if (size > MAX_POLICY_BYTES) {
    throw new ServiceError('PolicyLengthExceededException', `The policy would be ${size} bytes; at most 10 KB.`);
  }
  bus.policy = policy;
  return undefined;
}

function removePermission(input: Record<string, unknown>, context: OperationContext): undefined {
  const request = input as RemovePermissionRequest;
  const bus = requireBus(context, request.EventBusName);
  if (request.RemoveAllPermissions) {
    bus.policy = [];
    return undefined;
  }
  if (!request.StatementId) throw new ServiceError(VALIDATION, 'StatementId is required.');
  const remaining = bus.policy.filter((statement) => statement.Sid !== request.StatementId);
  if (remaining.length === bus.policy.length) {
    throw new ServiceError(NOT_FOUND, `Statement ${request.StatementId} does not exist on event bus ${bus.name}.`);
  }
  bus.policy = remaining;
  return undefined;
}

/** The bus resource policy: kept on the bus, so DeleteEventBus removes it with the bus. */
export const eventBridgePermissionOperations: Record<string, OperationHandler> = {
  PutPermission: putPermission,
  RemovePermission: removePermission,
};
