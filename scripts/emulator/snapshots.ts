import type { LogConfig } from '@aws-sdk/client-eventbridge';
import type { DiscovererState, EmulatorState, PolicyStatement, RuleState } from './state';

export interface RuleSnapshot {
  readonly name: string;
  readonly arn: string;
  readonly eventPattern: string;
  readonly state: string;
  readonly description?: string;
  readonly managedBy?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface BusSnapshot {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly description?: string;
  readonly kmsKeyIdentifier?: string;
  readonly deadLetterArn?: string;
  readonly logConfig?: LogConfig;
  /** The resource policy's statements; left out when it has none. */
  readonly policy?: readonly PolicyStatement[];
  readonly tags: Readonly<Record<string, string>>;
  readonly rules: readonly RuleSnapshot[];
  readonly creationTime: Date;
  readonly lastModifiedTime: Date;
}

export interface DiscovererSnapshot {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly sourceArn: string;
  readonly description?: string;
  readonly state: DiscovererState['state'];
  readonly crossAccount: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

// Optional members are left out rather than set to undefined so toEqual() assertions stay short.
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

function ruleSnapshot(rule: RuleState): RuleSnapshot {
  return defined({
    name: rule.name,
    arn: rule.arn,
    eventPattern: rule.eventPattern,
    state: rule.state,
    description: rule.description,
    managedBy: rule.managedBy,
    tags: Object.fromEntries(rule.tags),
  });
}

/** Custom buses only: every region's default bus exists implicitly and would only add noise. */
export function snapshotBuses(state: EmulatorState): BusSnapshot[] {
  return [...state.buses.values()]
    .filter((bus) => !bus.isDefault)
    .map((bus) =>
      defined({
        name: bus.name,
        arn: bus.arn,
        region: bus.region,
        description: bus.description,
        kmsKeyIdentifier: bus.kmsKeyIdentifier,
        deadLetterArn: bus.deadLetterConfig?.Arn,
        logConfig: bus.logConfig && { ...bus.logConfig },
        policy: bus.policy.length > 0 ? structuredClone(bus.policy) : undefined,
        tags: Object.fromEntries(bus.tags),
        rules: [...bus.rules.values()].map(ruleSnapshot),
        creationTime: new Date(bus.creationTime),
        lastModifiedTime: new Date(bus.lastModifiedTime),
      }),
    );
}

export function snapshotDiscoverers(state: EmulatorState): DiscovererSnapshot[] {
  return [...state.discoverers.values()].map((discoverer) =>
    defined({
      id: discoverer.id,
      arn: discoverer.arn,
      region: discoverer.region,
      sourceArn: discoverer.sourceArn,
      description: discoverer.description,
      state: discoverer.state,
      crossAccount: discoverer.crossAccount,
      tags: Object.fromEntries(discoverer.tags),
    }),
  );
}
