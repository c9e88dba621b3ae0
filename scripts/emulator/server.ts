import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { answerError, execute, type Outcome, serviceBindings, serviceFor, unknownOperation } from './dispatch';
import { SerializationError, ServiceError, UnknownOperationError } from './errors';
import { type Fault, FaultInjector } from './faults';
import type { ServiceName } from './model';
import { type DecodedCall, regionOf } from './protocol';
import { type RateLimit, TokenBucket } from './rate-limit';
import { type BusSnapshot, type DiscovererSnapshot, snapshotBuses, snapshotDiscoverers } from './snapshots';
import { EmulatorState, type PutEventsEntry } from './state';

export interface EmulatorOptions {
  /** 0 or absent: any free port. */
  port?: number;
  accountId?: string;
  latencyMs?: number;
  ruleLingerMs?: number;
  /**
   * At most this many discoverers per region, like the account quota (10 by default on AWS); a CreateDiscoverer
   * beyond it is refused. Absent: no limit.
   */
  discovererQuota?: number;
  /**
   * How far the services' clock runs ahead of the caller's, in ms (behind, when negative): the times they report
   * (a bus's CreationTime and LastModifiedTime) are off by it, as between two machines' clocks. Default 0.
   */
  clockSkewMs?: number;
  /** Called once per answered request (not for hung or dropped ones), e.g. for a request log. */
  onAnswer?: (call: CallRecord) => void;
  /** Throttle calls beyond this rate (both services share one bucket); absent: no limit. */
  rateLimit?: RateLimit;
  /**
   * Asked before each call that decodes runs; an error it returns is the answer instead, the way IAM answers a
   * call it refuses. The emulator enforces no IAM of its own: a test plugs a policy evaluator in here.
   */
  authorize?: (call: CallRecord) => Promise<ServiceError | undefined> | ServiceError | undefined;
}

export interface CallRecord {
  service: ServiceName;
  operation: string;
  input: unknown;
  /** The HTTP status answered; 0 while unanswered, and for hung or dropped calls. */
  status: number;
  error?: string;
  fault?: Fault['action']['type'];
  /** Answered with the service's throttling error because the call came over the rate limit. */
  rateLimited?: boolean;
  region: string;
}

export interface Emulator {
  readonly url: string;
  readonly accountId: string;
  readonly calls: CallRecord[];
  readonly events: PutEventsEntry[];
  inject(fault: Fault): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  setRuleLinger(ms: number): void;
  /** Refuses CreateDiscoverer beyond this many discoverers per region from now on; undefined lifts the limit. */
  setDiscovererQuota(quota: number | undefined): void;
  /** The services' clock from now on runs this many ms ahead of the caller's (behind, when negative). */
  setClockSkew(ms: number): void;
  /** Throttles calls over this rate from now on (a full bucket to start); undefined lifts the limit. */
  setRateLimit(limit: RateLimit | undefined): void;
  reset(): void;
  buses(): BusSnapshot[];
  discoverers(): DiscovererSnapshot[];
  /** Resolves once schema discovery has taken in every event accepted so far (it runs just after PutEvents answers). */
  discoverySettled(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT_ID = '123456789012';

function checkQuota(quota: number | undefined): number | undefined {
  if (quota !== undefined && !(Number.isInteger(quota) && quota >= 0)) {
    throw new RangeError(`discovererQuota must be a whole number >= 0, got ${quota}`);
  }
  return quota;
}

function checkDuration(name: string, ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`${name} must be a finite number >= 0, got ${ms}`);
  return ms;
}

function checkSkew(ms: number): number {
  if (!Number.isFinite(ms)) throw new RangeError(`clockSkewMs must be a finite number, got ${ms}`);
  return ms;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

class EmulatorServer implements Emulator {
  readonly calls: CallRecord[] = [];
  readonly accountId: string;
  private readonly state: EmulatorState;
  private readonly faults = new FaultInjector();
  private readonly server: Server;
  // Aborted on close: ends latency/delay waits so no timer outlives the emulator.
  private readonly closing = new AbortController();
  private latencyMs: number;
  private readonly onAnswer: EmulatorOptions['onAnswer'];
  private bucket?: TokenBucket;
  private readonly authorize: EmulatorOptions['authorize'];
  private closed?: Promise<void>;
  url = '';

  constructor(options: EmulatorOptions) {
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.onAnswer = options.onAnswer;
    this.latencyMs = checkDuration('latencyMs', options.latencyMs ?? 0);
    this.authorize = options.authorize;
    this.setRateLimit(options.rateLimit);
    // Every call waiting out its latency listens on this one signal; a storm of calls is not a leak.
    setMaxListeners(0, this.closing.signal);
    this.state = new EmulatorState(this.accountId, checkDuration('ruleLingerMs', options.ruleLingerMs ?? 0));
    this.state.discovererQuota = checkQuota(options.discovererQuota);
    this.state.clockSkewMs = checkSkew(options.clockSkewMs ?? 0);
    serviceBindings();
    this.server = createServer((request, response) => {
      this.handle(request, response).catch(() => response.destroy());
    });
  }

  get events(): PutEventsEntry[] {
    return this.state.events;
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  inject(fault: Fault): void {
    this.faults.inject(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  setLatency(ms: number): void {
    this.latencyMs = checkDuration('latencyMs', ms);
  }

  setRuleLinger(ms: number): void {
    this.state.ruleLingerMs = checkDuration('ruleLingerMs', ms);
  }

  setDiscovererQuota(quota: number | undefined): void {
    this.state.discovererQuota = checkQuota(quota);
  }

  setClockSkew(ms: number): void {
    this.state.clockSkewMs = checkSkew(ms);
  }

  setRateLimit(limit: RateLimit | undefined): void {
    this.bucket = limit ? new TokenBucket(limit) : undefined;
  }

  reset(): void {
    this.state.clear();
    this.calls.length = 0;
    this.faults.clear();
  }

  buses(): BusSnapshot[] {
    return snapshotBuses(this.state);
  }

  discoverers(): DiscovererSnapshot[] {
    return snapshotDiscoverers(this.state);
  }

  discoverySettled(): Promise<void> {
    return this.state.discovery.settled();
  }

  close(): Promise<void> {
    if (this.closed) return this.closed;
    this.closing.abort();
    this.state.clear();
    this.closed = new Promise((resolve) => this.server.close(() => resolve()));
    // Hung requests and idle keep-alive sockets would otherwise hold close() open.
    this.server.closeAllConnections();
    return this.closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const service = serviceFor(request.headers);
    const binding = serviceBindings()[service];
    const region = regionOf(request.headers) ?? DEFAULT_REGION;
    let call: DecodedCall | undefined;
    let decodeError: ServiceError | undefined;
    try {
      call = binding.protocol.decode({
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        headers: request.headers,
        body,
      });
    } catch (error) {
      if (!(error instanceof UnknownOperationError || error instanceof SerializationError)) throw error;
      decodeError = error;
    }
    const operation = call?.operation ?? (decodeError as UnknownOperationError | SerializationError).operation;
    const record: CallRecord = { service, operation, input: call?.input, status: 0, region };
    this.calls.push(record);

    // Throttling comes first, as at AWS's front door: a throttled call is neither authorized nor run, and takes
    // no turn of an injected fault.
    const throttled = this.bucket ? !this.bucket.take() : false;
    if (throttled) record.rateLimited = true;
    const denied = !throttled && call && this.authorize ? await this.authorize(record) : undefined;
    const fault = throttled || denied ? undefined : this.faults.take(service, operation);
    if (fault) record.fault = fault.type;
    if (fault?.type === 'hang' && !fault.applied) return;
    if (fault?.type === 'delay' && !(await this.wait(fault.ms))) return;

    const context = { region, state: this.state };
    let outcome: Outcome;
    if (denied) {
      outcome = answerError(binding, denied);
    } else if (fault?.type === 'error') {
      const message = fault.message ?? `Injected ${fault.name}`;
      outcome = answerError(binding, new ServiceError(fault.name, message, fault.status));
    } else if (throttled || fault?.type === 'throttle') {
      outcome = answerError(binding, new ServiceError(binding.definition.throttlingError, 'Rate exceeded'));
    } else if (decodeError instanceof SerializationError) {
      outcome = answerError(binding, decodeError);
    } else if (!call) {
      outcome = answerError(binding, unknownOperation(binding.definition, operation));
    } else {
      outcome = execute(binding, call, context);
    }
    if (outcome.error) record.error = outcome.error;
    // The call took effect; its answer never comes, so the client waits until it gives up.
    if (fault?.type === 'hang') return;
    if (fault?.type === 'drop') {
      request.socket.destroy();
      return;
    }
    if (this.latencyMs > 0 && !(await this.wait(this.latencyMs))) return;
    this.answer(response, outcome);
    record.status = outcome.status;
    this.onAnswer?.(record);
  }

  /** Resolves false when the emulator closed during the wait. */
  private async wait(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: this.closing.signal });
      return true;
    } catch {
      return false;
    }
  }

  private answer(response: ServerResponse, outcome: Outcome): void {
    if (response.destroyed) return;
    response.writeHead(outcome.status, {
      ...outcome.headers,
      'x-amzn-RequestId': randomUUID(),
      'content-length': Buffer.byteLength(outcome.body),
    });
    response.end(outcome.body);
  }
}

/** Starts an emulator on 127.0.0.1; the port defaults to any free one so parallel test files never collide. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = new EmulatorServer(options);
  await emulator.listen(options.port ?? 0);
  return emulator;
}
