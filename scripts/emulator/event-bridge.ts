import { randomUUID } from 'node:crypto';
import type {
  CreateEventBusRequest,
  CreateEventBusResponse,
  DeleteEventBusRequest,
  DescribeEventBusRequest,
  DescribeEventBusResponse,
  ListEventBusesRequest,
  ListEventBusesResponse,
  ListRulesRequest,
  ListRulesResponse,
  PutEventsRequest,
  PutEventsRequestEntry,
  PutEventsResponse,
  PutEventsResultEntry,
  UpdateEventBusRequest,
  UpdateEventBusResponse,
} from '@aws-sdk/client-eventbridge';
import { ServiceError } from './errors';
import { eventBridgePermissionOperations, policyDocument } from './event-bridge-permissions';
import { eventBridgeTagOperations, TAG_LIMIT_ERROR } from './event-bridge-tags';
import { assertTagLimit, type OperationContext, paginate, type ServiceDefinition } from './service';
import type { BusState, EmulatorState } from './state';

const VALIDATION = 'ValidationException';
const NOT_FOUND = 'ResourceNotFoundException';

export const BUS_HAS_RULES_MESSAGE = "EventBus can't be deleted since it has rules.";

function requireBus({ region, state }: OperationContext, nameOrArn: string | undefined): BusState {
  const bus = state.findBus(region, nameOrArn);
  if (!bus) throw new ServiceError(NOT_FOUND, `Event bus ${nameOrArn} does not exist.`);
  return bus;
}

// An empty KmsKeyIdentifier means the AWS owned key, the same as leaving it out.
function customerKey(identifier: string | undefined): string | undefined {
  return identifier ? identifier : undefined;
}

function hasDiscoverer(state: EmulatorState, bus: BusState): boolean {
  for (const discoverer of state.discoverers.values()) if (discoverer.busArn === bus.arn) return true;
  return false;
}

function createEventBus(input: Record<string, unknown>, context: OperationContext): CreateEventBusResponse {
  const request = input as unknown as CreateEventBusRequest;
  const name = request.Name as string;
  if (name === 'default') throw new ServiceError(VALIDATION, 'The event bus name default is reserved.');
  if (request.EventSourceName !== undefined) {
    throw new ServiceError(NOT_FOUND, `Event source ${request.EventSourceName} does not exist.`);
  }
  if (name.includes('/')) throw new ServiceError(VALIDATION, "Event bus name must not contain '/'.");
  assertTagLimit(new Set((request.Tags ?? []).map((tag) => tag.Key as string)), TAG_LIMIT_ERROR);
  const arn = context.state.busArn(context.region, name);
  if (context.state.buses.has(arn))
    throw new ServiceError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
  const now = context.state.now();
  const bus: BusState = {
    name,
    arn,
    region: context.region,
    isDefault: false,
    description: request.Description,
    kmsKeyIdentifier: customerKey(request.KmsKeyIdentifier),
    deadLetterConfig: request.DeadLetterConfig,
    logConfig: request.LogConfig,
    policy: [],
    tags: new Map((request.Tags ?? []).map((tag) => [tag.Key as string, tag.Value as string])),
    rules: new Map(),
    creationTime: now,
    lastModifiedTime: now,
  };
  context.state.buses.set(arn, bus);
  return {
    EventBusArn: arn,
    Description: bus.description,
    KmsKeyIdentifier: bus.kmsKeyIdentifier,
    DeadLetterConfig: bus.deadLetterConfig,
    LogConfig: bus.logConfig,
  };
}

function describeEventBus(input: Record<string, unknown>, context: OperationContext): DescribeEventBusResponse {
  const bus = requireBus(context, (input as DescribeEventBusRequest).Name);
  return {
    Name: bus.name,
    Arn: bus.arn,
    Description: bus.description,
    KmsKeyIdentifier: bus.kmsKeyIdentifier,
    DeadLetterConfig: bus.deadLetterConfig,
    LogConfig: bus.logConfig,
    Policy: policyDocument(bus),
    CreationTime: bus.creationTime,
    LastModifiedTime: bus.lastModifiedTime,
  };
}

/**
 * Replaces the bus's configuration: a member left out is cleared. The model documents this for
 * KmsKeyIdentifier ("If you do not specify a customer managed key identifier, EventBridge uses an
 * AWS owned key"); Description, DeadLetterConfig and LogConfig follow the same put-style semantics.
 */
function updateEventBus(input: Record<string, unknown>, context: OperationContext): UpdateEventBusResponse {
  const request = input as UpdateEventBusRequest;
  const bus = requireBus(context, request.Name);
  const kmsKeyIdentifier = customerKey(request.KmsKeyIdentifier);
  if (kmsKeyIdentifier && hasDiscoverer(context.state, bus)) {
    throw new ServiceError(
      VALIDATION,
      'Schema discovery is not supported for event buses encrypted using a customer managed key.',
    );
  }
  bus.description = request.Description;
  bus.kmsKeyIdentifier = kmsKeyIdentifier;
  bus.deadLetterConfig = request.DeadLetterConfig;
  bus.logConfig = request.LogConfig;
  bus.lastModifiedTime = context.state.now();
  return {
    Arn: bus.arn,
    Name: bus.name,
    Description: bus.description,
    KmsKeyIdentifier: bus.kmsKeyIdentifier,
    DeadLetterConfig: bus.deadLetterConfig,
    LogConfig: bus.logConfig,
  };
}

// The model lists no ResourceNotFoundException for DeleteEventBus: deleting a missing bus succeeds. The bus's
// resource policy is part of the bus (DescribeEventBus returns it) and goes with it; only rules stand in the way.
function deleteEventBus(input: Record<string, unknown>, context: OperationContext): undefined {
  const name = (input as unknown as DeleteEventBusRequest).Name as string;
  if (name === 'default') throw new ServiceError(VALIDATION, 'Cannot delete event bus default.');
  const bus = context.state.buses.get(context.state.busArn(context.region, name));
  if (!bus) return undefined;
  if (bus.rules.size > 0) throw new ServiceError(VALIDATION, BUS_HAS_RULES_MESSAGE);
  context.state.buses.delete(bus.arn);
  return undefined;
}

/** One page of what the request's NamePrefix matches, in name order, as the List operations answer. */
const pageByName = <T extends { name: string }>(
  items: T[],
  request: { NamePrefix?: string; Limit?: number; NextToken?: string },
) =>
  paginate(
    items.filter((item) => item.name.startsWith(request.NamePrefix ?? '')).sort((a, b) => a.name.localeCompare(b.name)),
    request.Limit,
    request.NextToken,
    () => new ServiceError(VALIDATION, 'Invalid NextToken.'),
  );

/** The buses of the caller's region by name, its default bus among them, as the model says ("including the default"). */
function listEventBuses(input: Record<string, unknown>, context: OperationContext): ListEventBusesResponse {
  const request = input as ListEventBusesRequest;
  context.state.findBus(context.region, 'default');
  const page = pageByName(
    [...context.state.buses.values()].filter((bus) => bus.region === context.region),
    request,
  );
  return {
    EventBuses: page.items.map((bus) => ({
      Name: bus.name,
      Arn: bus.arn,
      Description: bus.description,
      Policy: policyDocument(bus),
      CreationTime: bus.creationTime,
      LastModifiedTime: bus.lastModifiedTime,
    })),
    NextToken: page.nextToken,
  };
}

function listRules(input: Record<string, unknown>, context: OperationContext): ListRulesResponse {
  const request = input as ListRulesRequest;
  const bus = requireBus(context, request.EventBusName);
  const page = pageByName([...bus.rules.values()], request);
  return {
    Rules: page.items.map((rule) => ({
      Name: rule.name,
      Arn: rule.arn,
      EventPattern: rule.eventPattern,
      State: rule.state,
      Description: rule.description,
      ManagedBy: rule.managedBy,
      EventBusName: rule.eventBusName,
    })),
    NextToken: page.nextToken,
  };
}

function isComplete(entry: PutEventsRequestEntry): boolean {
  return entry.Source !== undefined && entry.DetailType !== undefined && entry.Detail !== undefined;
}

function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

/** Entries lacking Source, DetailType or Detail fail one by one; if all lack them the request fails (model docs). */
function putEvents(input: Record<string, unknown>, context: OperationContext): PutEventsResponse {
  const entries = (input as unknown as PutEventsRequest).Entries ?? [];
  if (!entries.some(isComplete)) {
    throw new ServiceError(VALIDATION, 'Parameters Source, DetailType and Detail are required in every entry.');
  }
  const results: PutEventsResultEntry[] = entries.map((entry) => {
    if (!isComplete(entry))
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Source, DetailType and Detail are required.' };
    if (!isJsonObject(entry.Detail as string))
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const bus = context.state.findBus(context.region, entry.EventBusName);
    if (!bus) return { ErrorCode: NOT_FOUND, ErrorMessage: `Event bus ${entry.EventBusName} does not exist.` };
    const eventId = randomUUID();
    const time: unknown = entry.Time;
    const event = {
      EventId: eventId,
      Region: bus.region,
      EventBusName: bus.name,
      Source: entry.Source as string,
      DetailType: entry.DetailType as string,
      Detail: entry.Detail as string,
      Resources: entry.Resources ?? [],
      // awsJson1_1 sends timestamps as epoch seconds.
      Time: typeof time === 'number' ? new Date(time * 1000) : new Date(),
    };
    context.state.events.push(event);
    context.state.discovery.accept(bus.arn, event);
    return { EventId: eventId };
  });
  return { FailedEntryCount: results.filter((result) => result.ErrorCode).length, Entries: results };
}

export const eventBridgeService: ServiceDefinition = {
  name: 'events',
  validationError: VALIDATION,
  throttlingError: 'ThrottlingException',
  internalError: 'InternalException',
  operations: {
    CreateEventBus: createEventBus,
    DescribeEventBus: describeEventBus,
    UpdateEventBus: updateEventBus,
    DeleteEventBus: deleteEventBus,
    ListEventBuses: listEventBuses,
    ListRules: listRules,
    PutEvents: putEvents,
    ...eventBridgeTagOperations,
    ...eventBridgePermissionOperations,
  },
};
