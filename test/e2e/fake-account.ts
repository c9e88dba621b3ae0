// A stand-in for one AWS account behind aws-sdk-client-mock: CloudFormation runs the test stack's template the way
// the deployed provider would (a bus and discoverer per Custom::GithubEventBus, a rename replaces, the Breaker fails
// and rolls back), and EventBridge and Schemas answer from what that made. Tests bend it to make a step go wrong.
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type StackEvent,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeEventBusCommand,
  EventBridgeClient,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import { DescribeDiscovererCommand, NotFoundException, SchemasClient } from '@aws-sdk/client-schemas';
import { mockClient } from 'aws-sdk-client-mock';

// The SDK's notice that future versions need Node 22 concerns this machine, not the run it stands in for.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const PROVIDER = 'github-event-bus';
export const EXPORT = `${PROVIDER}-ServiceToken`;
export const SERVICE_TOKEN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:github-event-bus-Function-EXAMPLE`;

type Bus = {
  name: string;
  arn: string;
  tags: Record<string, string>;
  logConfig?: { Level: string; IncludeDetail: string };
  state: string;
  ruleState: string;
};

type BusProperties = {
  EventBusName: string;
  DiscovererState: string;
  Tags: { Key: string; Value: string }[];
  LogConfig?: { Level: string; IncludeDetail: string };
};

export const cloudFormation = mockClient(CloudFormationClient);
export const events = mockClient(EventBridgeClient);
export const schemas = mockClient(SchemasClient);

const notFoundBus = () => new ResourceNotFoundException({ message: 'Event bus does not exist.', $metadata: {} });
const notFoundDiscoverer = () =>
  new NotFoundException({ message: 'gone', Code: 'NotFoundException', Message: 'gone', $metadata: {} });

export class FakeAccount {
  readonly buses = new Map<string, Bus>();
  stackId: string | undefined;
  stackName = '';
  private readonly events: StackEvent[] = [];
  private bus: string | undefined;
  /** Bends what an operation does: a test sets these before the step it is about. */
  readonly bend = {
    /** Leave the replaced bus in place on a rename (a Delete that did not happen). */
    keepReplacedBus: false,
    /** The Breaker does not fail: the update goes through. */
    breakerSucceeds: false,
    /** DeleteStack ends in DELETE_FAILED with this reason. */
    deleteFails: undefined as string | undefined,
    /** Discovery stays STARTED whatever the template says. */
    ignoreStop: false,
    /** Operations never end. */
    hang: false,
  };

  constructor() {
    for (const client of [cloudFormation, events, schemas]) client.reset();
    cloudFormation.on(DescribeStacksCommand).callsFake(async ({ StackName }) => this.describeStacks(StackName));
    cloudFormation.on(CreateStackCommand).callsFake(async (input) => this.createStack(input));
    cloudFormation.on(UpdateStackCommand).callsFake(async (input) => this.updateStack(input));
    cloudFormation.on(DeleteStackCommand).callsFake(async (input) => this.deleteStack(input.ClientRequestToken));
    cloudFormation.on(DescribeStackEventsCommand).callsFake(async () => ({ StackEvents: [...this.events].reverse() }));
    events.on(DescribeEventBusCommand).callsFake(async ({ Name }) => {
      const bus = this.buses.get(Name);
      if (!bus) throw notFoundBus();
      return { Name, Arn: bus.arn, ...(bus.logConfig ? { LogConfig: bus.logConfig } : {}) };
    });
    events.on(ListTagsForResourceCommand).callsFake(async ({ ResourceARN }) => {
      const bus = [...this.buses.values()].find((candidate) => candidate.arn === ResourceARN);
      if (!bus) throw notFoundBus();
      return { Tags: Object.entries(bus.tags).map(([Key, Value]) => ({ Key, Value })) };
    });
    events.on(ListRulesCommand).callsFake(async ({ EventBusName }) => {
      const bus = this.buses.get(EventBusName);
      if (!bus) throw notFoundBus();
      return { Rules: [{ Name: `Schemas-events-event-bus-${bus.name}`, State: bus.ruleState }] };
    });
    schemas.on(DescribeDiscovererCommand).callsFake(async ({ DiscovererId }) => {
      const bus = [...this.buses.values()].find((candidate) => `events-event-bus-${candidate.name}` === DiscovererId);
      if (!bus) throw notFoundDiscoverer();
      return {
        DiscovererId,
        DiscovererArn: `arn:aws:schemas:${REGION}:${ACCOUNT}:discoverer/${DiscovererId}`,
        SourceArn: bus.arn,
        State: bus.state,
        CrossAccount: true,
        Tags: { ...bus.tags, 'github-event-bus:bus-owned': 'true' },
      };
    });
  }

  private describeStacks(name: string | undefined) {
    if (name === PROVIDER) {
      return {
        Stacks: [
          {
            StackName: PROVIDER,
            StackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${PROVIDER}/0000`,
            StackStatus: 'UPDATE_COMPLETE',
            CreationTime: new Date(),
            Outputs: [{ OutputKey: 'ServiceToken', OutputValue: SERVICE_TOKEN, ExportName: EXPORT }],
          },
        ],
      };
    }
    const bus = this.bus ? this.buses.get(this.bus) : undefined;
    const discovererId = bus ? `events-event-bus-${bus.name}` : undefined;
    const outputs: Record<string, string | undefined> = {
      BusRef: bus?.name,
      EventBusName: bus?.name,
      EventBusArn: bus?.arn,
      DiscovererId: discovererId,
      DiscovererArn: `arn:aws:schemas:${REGION}:${ACCOUNT}:discoverer/${discovererId}`,
      DiscovererState: bus?.state,
      CrossAccount: 'true',
      SchemaRegistryName: 'discovered-schemas',
    };
    return {
      Stacks: [
        {
          StackName: this.stackName,
          StackId: this.stackId,
          StackStatus: 'CREATE_COMPLETE',
          CreationTime: new Date(),
          Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
        },
      ],
    };
  }

  private event(token: string | undefined, logicalId: string, status: string, reason?: string): void {
    this.events.push({
      StackId: this.stackId,
      StackName: this.stackName,
      EventId: `${this.events.length}`,
      LogicalResourceId: logicalId,
      ResourceType: logicalId === this.stackName ? 'AWS::CloudFormation::Stack' : 'Custom::GithubEventBus',
      ResourceStatus: status as StackEvent['ResourceStatus'],
      ResourceStatusReason: reason,
      Timestamp: new Date(),
      ClientRequestToken: token,
    });
  }

  private provision(properties: BusProperties): void {
    const name = properties.EventBusName;
    const state = this.bend.ignoreStop ? 'STARTED' : properties.DiscovererState;
    this.buses.set(name, {
      name,
      arn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${name}`,
      tags: {
        ...Object.fromEntries(properties.Tags.map((tag) => [tag.Key, tag.Value])),
        'github-event-bus:stack-id': String(this.stackId),
        'github-event-bus:logical-id': 'Bus',
      },
      ...(properties.LogConfig ? { logConfig: properties.LogConfig } : {}),
      state,
      ruleState: state === 'STARTED' ? 'ENABLED' : 'DISABLED',
    });
    this.bus = name;
  }

  private propertiesOf(body: string | undefined): { bus: BusProperties; breaker: boolean } {
    const template = JSON.parse(String(body)) as { Resources: Record<string, { Properties: BusProperties }> };
    return { bus: template.Resources.Bus?.Properties as BusProperties, breaker: 'Breaker' in template.Resources };
  }

  private createStack(input: { StackName?: string; TemplateBody?: string; ClientRequestToken?: string }) {
    this.stackName = String(input.StackName);
    this.stackId = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${this.stackName}/1111`;
    this.event(input.ClientRequestToken, this.stackName, 'CREATE_IN_PROGRESS');
    if (!this.bend.hang) {
      this.provision(this.propertiesOf(input.TemplateBody).bus);
      this.event(input.ClientRequestToken, 'Bus', 'CREATE_COMPLETE');
      this.event(input.ClientRequestToken, this.stackName, 'CREATE_COMPLETE');
    }
    return { StackId: this.stackId };
  }

  private updateStack(input: { TemplateBody?: string; ClientRequestToken?: string }) {
    const token = input.ClientRequestToken;
    const { bus, breaker } = this.propertiesOf(input.TemplateBody);
    this.event(token, this.stackName, 'UPDATE_IN_PROGRESS');
    if (breaker && !this.bend.breakerSucceeds) {
      this.event(token, 'Breaker', 'CREATE_FAILED', 'Invalid properties: EventBusName must be 1-256 of A-Za-z0-9._-');
      this.event(token, this.stackName, 'UPDATE_ROLLBACK_COMPLETE');
      return {};
    }
    const before = this.bus;
    this.provision(bus);
    if (before && before !== bus.EventBusName && !this.bend.keepReplacedBus) this.buses.delete(before);
    this.event(token, this.stackName, 'UPDATE_COMPLETE');
    return {};
  }

  private deleteStack(token: string | undefined) {
    this.event(token, this.stackName, 'DELETE_IN_PROGRESS');
    if (this.bend.deleteFails) {
      this.event(token, 'Bus', 'DELETE_FAILED', this.bend.deleteFails);
      this.event(token, this.stackName, 'DELETE_FAILED');
      return {};
    }
    this.buses.clear();
    this.bus = undefined;
    this.event(token, this.stackName, 'DELETE_COMPLETE');
    return {};
  }
}
