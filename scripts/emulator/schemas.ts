import type {
  CreateDiscovererRequest,
  CreateDiscovererResponse,
  DescribeDiscovererResponse,
  DiscovererSummary,
  ListDiscoverersRequest,
  ListDiscoverersResponse,
  StartDiscovererResponse,
  UpdateDiscovererRequest,
} from '@aws-sdk/client-schemas';
import { ServiceError } from './errors';
import { schemasRegistryOperations } from './schemas-registry';
import { schemasTagOperations } from './schemas-tags';
import { assertTagLimit, type OperationContext, paginate, type ServiceDefinition, tagsToRecord } from './service';
import type { BusState, DiscovererState, EmulatorState } from './state';

const BAD_REQUEST = 'BadRequestException';
const BUS_ARN = /^arn:aws[\w-]*:events:([^:]+):(\d{12}):event-bus\/(.+)$/;

export const SCHEMAS_MANAGER = 'schemas.amazonaws.com';
export const CMK_MESSAGE = 'Schema discovery does not support event buses encrypted with a customer managed key.';

/**
 * A CreateDiscoverer beyond the account's quota of discoverers per Region. AWS documents neither the error nor its
 * message, and the model declares no quota error for the operation: of the errors it does declare, a 400
 * BadRequestException is how Schemas refuses a request the account's state does not allow (a bus on a customer
 * managed key, above), and the handler must not mistake it for throttling (retried) or for IAM (403).
 */
export const discovererQuotaMessage = (quota: number, region: string): string =>
  `Limit exceeded: the account may have at most ${quota} discoverers in ${region}.`;

export function discovererIdFor(busName: string): string {
  return `events-event-bus-${busName}`;
}

export function managedRuleName(discovererId: string): string {
  return `Schemas-${discovererId}`;
}

function requireDiscoverer({ region, state }: OperationContext, id: string): DiscovererState {
  const discoverer = state.discoverers.get(state.discovererArn(region, id));
  if (!discoverer) throw new ServiceError('NotFoundException', `Discoverer ${id} does not exist.`);
  return discoverer;
}

function summary(discoverer: DiscovererState): DiscovererSummary & { Description?: string } {
  return {
    DiscovererArn: discoverer.arn,
    DiscovererId: discoverer.id,
    Description: discoverer.description,
    SourceArn: discoverer.sourceArn,
    State: discoverer.state,
    CrossAccount: discoverer.crossAccount,
    Tags: tagsToRecord(discoverer.tags),
  };
}

// The pattern is illustrative: the emulator does not route events, it only needs the rule to exist.
function rulePattern(state: EmulatorState, crossAccount: boolean): string {
  return crossAccount ? '{"source":[{"prefix":""}]}' : JSON.stringify({ account: [state.accountId] });
}

function sourceBus({ region, state }: OperationContext, sourceArn: string): BusState {
  const parsed = BUS_ARN.exec(sourceArn);
  if (!parsed) throw new ServiceError(BAD_REQUEST, `SourceArn ${sourceArn} is not an event bus ARN.`);
  if (parsed[1] !== region || parsed[2] !== state.accountId) {
    throw new ServiceError(BAD_REQUEST, `Event bus ${sourceArn} is not in this account and region.`);
  }
  const bus = state.findBus(region, sourceArn);
  if (!bus) throw new ServiceError(BAD_REQUEST, `Event bus ${parsed[3]} does not exist.`);
  return bus;
}

function createDiscoverer(input: Record<string, unknown>, context: OperationContext): CreateDiscovererResponse {
  const request = input as unknown as CreateDiscovererRequest;
  const { region, state } = context;
  const bus = sourceBus(context, request.SourceArn as string);
  if (bus.kmsKeyIdentifier) throw new ServiceError(BAD_REQUEST, CMK_MESSAGE);
  assertTagLimit(Object.keys(request.Tags ?? {}), BAD_REQUEST);
  const id = discovererIdFor(bus.name);
  const arn = state.discovererArn(region, id);
  if (state.discoverers.has(arn)) throw new ServiceError('ConflictException', `Discoverer ${id} already exists.`);
  const quota = state.discovererQuota;
  const inRegion = [...state.discoverers.values()].filter((discoverer) => discoverer.region === region).length;
  if (quota !== undefined && inRegion >= quota) {
    throw new ServiceError(BAD_REQUEST, discovererQuotaMessage(quota, region));
  }
  const discoverer: DiscovererState = {
    id,
    arn,
    region,
    sourceArn: request.SourceArn as string,
    busArn: bus.arn,
    description: request.Description,
    state: 'STARTED',
    crossAccount: request.CrossAccount ?? true,
    tags: new Map(Object.entries(request.Tags ?? {})),
  };
  state.discoverers.set(arn, discoverer);
  // A rule still lingering from a deleted discoverer is taken over rather than duplicated.
  const ruleName = managedRuleName(id);
  bus.rules.set(ruleName, {
    name: ruleName,
    arn: state.ruleArn(bus, ruleName),
    eventBusName: bus.name,
    eventPattern: rulePattern(state, discoverer.crossAccount),
    state: 'ENABLED',
    description: `Schema discovery for event bus ${bus.name}`,
    managedBy: SCHEMAS_MANAGER,
    tags: bus.rules.get(ruleName)?.tags ?? new Map(),
  });
  return summary(discoverer);
}

function describeDiscoverer(input: Record<string, unknown>, context: OperationContext): DescribeDiscovererResponse {
  return summary(requireDiscoverer(context, input.DiscovererId as string));
}

/** Members left out keep their value: the model marks both optional and documents no reset. */
function updateDiscoverer(input: Record<string, unknown>, context: OperationContext): DescribeDiscovererResponse {
  const request = input as unknown as UpdateDiscovererRequest;
  const discoverer = requireDiscoverer(context, request.DiscovererId as string);
  if (request.Description !== undefined) discoverer.description = request.Description;
  if (request.CrossAccount !== undefined) discoverer.crossAccount = request.CrossAccount;
  const rule = context.state.buses.get(discoverer.busArn)?.rules.get(managedRuleName(discoverer.id));
  if (rule) rule.eventPattern = rulePattern(context.state, discoverer.crossAccount);
  return summary(discoverer);
}

/** The discoverer goes at once; its managed rule only after ruleLingerMs, as the real service cleans up later. */
function deleteDiscoverer(input: Record<string, unknown>, context: OperationContext): undefined {
  const { state } = context;
  const discoverer = requireDiscoverer(context, input.DiscovererId as string);
  state.discoverers.delete(discoverer.arn);
  state.later(state.ruleLingerMs, () => {
    if (state.discoverers.has(discoverer.arn)) return;
    state.buses.get(discoverer.busArn)?.rules.delete(managedRuleName(discoverer.id));
  });
  return undefined;
}

function listDiscoverers(input: Record<string, unknown>, context: OperationContext): ListDiscoverersResponse {
  const request = input as ListDiscoverersRequest;
  const matching = [...context.state.discoverers.values()]
    .filter((discoverer) => discoverer.region === context.region)
    .filter((discoverer) => discoverer.id.startsWith(request.DiscovererIdPrefix ?? ''))
    .filter((discoverer) => discoverer.sourceArn.startsWith(request.SourceArnPrefix ?? ''))
    .sort((a, b) => a.id.localeCompare(b.id));
  const invalid = () => new ServiceError(BAD_REQUEST, 'Invalid NextToken.');
  const page = paginate(matching, request.Limit, request.NextToken, invalid);
  return { Discoverers: page.items.map(summary), NextToken: page.nextToken };
}

function setState(state: DiscovererState['state']) {
  return (input: Record<string, unknown>, context: OperationContext): StartDiscovererResponse => {
    const discoverer = requireDiscoverer(context, input.DiscovererId as string);
    discoverer.state = state;
    return { DiscovererId: discoverer.id, State: discoverer.state };
  };
}

export const schemasService: ServiceDefinition = {
  name: 'schemas',
  validationError: BAD_REQUEST,
  throttlingError: 'TooManyRequestsException',
  internalError: 'InternalServerErrorException',
  operations: {
    CreateDiscoverer: createDiscoverer,
    DescribeDiscoverer: describeDiscoverer,
    UpdateDiscoverer: updateDiscoverer,
    DeleteDiscoverer: deleteDiscoverer,
    ListDiscoverers: listDiscoverers,
    StartDiscoverer: setState('STARTED'),
    StopDiscoverer: setState('STOPPED'),
    ...schemasRegistryOperations,
    ...schemasTagOperations,
  },
};
