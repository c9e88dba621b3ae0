import type { DeadLetterConfig, LogConfig } from '@aws-sdk/client-eventbridge';
import { DiscoveryQueue } from './discovery';
import { SchemaStore } from './schema-store';

export interface RuleState {
  name: string;
  arn: string;
  eventBusName: string;
  eventPattern: string;
  state: 'ENABLED' | 'DISABLED';
  description?: string;
  managedBy?: string;
  tags: Map<string, string>;
}

/** One statement of a bus's resource policy, as DescribeEventBus's Policy document holds it. */
export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action?: unknown;
  Resource?: unknown;
  Condition?: unknown;
}

export interface BusState {
  name: string;
  arn: string;
  region: string;
  isDefault: boolean;
  description?: string;
  kmsKeyIdentifier?: string;
  deadLetterConfig?: DeadLetterConfig;
  logConfig?: LogConfig;
  /** The resource policy's statements (PutPermission / RemovePermission); empty when it has none. */
  policy: PolicyStatement[];
  tags: Map<string, string>;
  rules: Map<string, RuleState>;
  creationTime: Date;
  lastModifiedTime: Date;
}

export interface DiscovererState {
  id: string;
  arn: string;
  region: string;
  sourceArn: string;
  busArn: string;
  description?: string;
  state: 'STARTED' | 'STOPPED';
  crossAccount: boolean;
  tags: Map<string, string>;
}

/** An event PutEvents accepted; member names mirror the SDK's PutEventsRequestEntry so tests compare directly. */
export interface PutEventsEntry {
  EventId: string;
  Region: string;
  EventBusName: string;
  Source: string;
  DetailType: string;
  Detail: string;
  Resources: string[];
  Time: Date;
}

const BUS_ARN = /^arn:aws[\w-]*:events:([^:]+):(\d{12}):event-bus\/(.+)$/;

/** What both services share: the buses (with their rules), the discoverers, the events put, what was discovered. */
export class EmulatorState {
  readonly buses = new Map<string, BusState>();
  readonly discoverers = new Map<string, DiscovererState>();
  readonly events: PutEventsEntry[] = [];
  readonly schemas = new SchemaStore();
  readonly discovery = new DiscoveryQueue(this);
  private readonly timers = new Set<NodeJS.Timeout>();

  /** At most this many discoverers per region, as the account's quota; undefined: no limit. */
  discovererQuota: number | undefined;
  /** How far the services' clock runs ahead of the caller's (behind, when negative). */
  clockSkewMs = 0;

  constructor(
    readonly accountId: string,
    public ruleLingerMs: number,
  ) {}

  /** The services' time: what they report as a resource's creation or last change. */
  now(): Date {
    return new Date(Date.now() + this.clockSkewMs);
  }

  busArn(region: string, name: string): string {
    return `arn:aws:events:${region}:${this.accountId}:event-bus/${name}`;
  }

  ruleArn(bus: BusState, ruleName: string): string {
    const path = bus.isDefault ? ruleName : `${bus.name}/${ruleName}`;
    return `arn:aws:events:${bus.region}:${this.accountId}:rule/${path}`;
  }

  discovererArn(region: string, id: string): string {
    return `arn:aws:schemas:${region}:${this.accountId}:discoverer/${id}`;
  }

  /** Finds a bus by name (in the caller's region) or ARN; every region's `default` bus always exists. */
  findBus(region: string, nameOrArn: string | undefined): BusState | undefined {
    const name = nameOrArn ?? 'default';
    const parsed = BUS_ARN.exec(name);
    const arn = parsed ? name : this.busArn(region, name);
    const existing = this.buses.get(arn);
    if (existing) return existing;
    const [busRegion, account, busName] = parsed ? [parsed[1], parsed[2], parsed[3]] : [region, this.accountId, name];
    if (busName !== 'default' || account !== this.accountId || busRegion === undefined) return undefined;
    const now = this.now();
    const bus: BusState = {
      name: 'default',
      arn,
      region: busRegion,
      isDefault: true,
      policy: [],
      tags: new Map(),
      rules: new Map(),
      creationTime: now,
      lastModifiedTime: now,
    };
    this.buses.set(arn, bus);
    return bus;
  }

  /** Runs `action` after `ms` without keeping the process alive; 0 runs it now so tests stay deterministic. */
  later(ms: number, action: () => void): void {
    if (ms <= 0) {
      action();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.buses.clear();
    this.discoverers.clear();
    this.events.length = 0;
    this.discovery.clear();
    this.schemas.clear();
  }
}
