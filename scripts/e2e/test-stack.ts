// The small stack npm run e2e deploys against the provider: one Custom::GithubEventBus, every attribute as an output,
// and on demand a second resource that fails, so that an Update rolls back.
import { ATTRIBUTE_NAMES } from '../../handler/resource/attributes';

/** What the test stack's bus should be after a stack operation. */
export type BusSpec = {
  name: string;
  state: 'STARTED' | 'STOPPED';
  /** The user tags, on the bus and on the discoverer. */
  tags: Record<string, string>;
  /** Absent: logging off, as a bus that never had it. */
  logConfig?: { Level: string; IncludeDetail: string };
};

export const BUS_LOGICAL_ID = 'Bus';
export const BREAKER_LOGICAL_ID = 'Breaker';

/** Every Fn::GetAtt of Custom::GithubEventBus (README, Attributes), and the Ref as BusRef. */
export const ATTRIBUTES = ATTRIBUTE_NAMES;

const serviceToken = (exportName: string) => ({ 'Fn::ImportValue': exportName });

/**
 * The template of one stack operation. With `breaker`, a second Custom::GithubEventBus whose name the provider
 * refuses before any AWS call: it fails after the bus was updated (DependsOn), and CloudFormation rolls both back.
 */
export const testStackTemplate = (bus: BusSpec, exportName: string, options: { breaker?: boolean } = {}): string =>
  JSON.stringify({
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'npm run e2e: a test stack of Custom::GithubEventBus; the run deletes it when it ends.',
    Resources: {
      [BUS_LOGICAL_ID]: {
        Type: 'Custom::GithubEventBus',
        Properties: {
          ServiceToken: serviceToken(exportName),
          ServiceTimeout: 360,
          EventBusName: bus.name,
          Description: 'Test bus of npm run e2e (github-event-bus); deleted with its stack.',
          DiscovererState: bus.state,
          Tags: Object.entries(bus.tags).map(([Key, Value]) => ({ Key, Value })),
          ...(bus.logConfig ? { LogConfig: bus.logConfig } : {}),
        },
      },
      ...(options.breaker
        ? {
            [BREAKER_LOGICAL_ID]: {
              Type: 'Custom::GithubEventBus',
              DependsOn: BUS_LOGICAL_ID,
              Properties: { ServiceToken: serviceToken(exportName), ServiceTimeout: 360, EventBusName: 'not/a-bus' },
            },
          }
        : {}),
    },
    Outputs: {
      BusRef: { Value: { Ref: BUS_LOGICAL_ID } },
      ...Object.fromEntries(
        ATTRIBUTES.map((attribute) => [attribute, { Value: { 'Fn::GetAtt': [BUS_LOGICAL_ID, attribute] } }]),
      ),
    },
  });
