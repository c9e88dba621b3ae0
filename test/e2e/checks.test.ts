// What npm run e2e reads back from EventBridge and Schemas after a stack operation, and each difference it reports.
import {
  DescribeEventBusCommand,
  EventBridgeClient,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import { DescribeDiscovererCommand, SchemasClient } from '@aws-sdk/client-schemas';
import { checkBus } from '../../scripts/e2e/checks';
import type { BusSpec } from '../../scripts/e2e/test-stack';
import { events, FakeAccount, schemas } from './fake-account';

const STACK_ID = 'arn:aws:cloudformation:eu-west-1:123456789012:stack/github-event-bus-e2e-0a1b2c3d/1111';
const NAME = 'github-event-bus-e2e-0a1b2c3d';
const ARN = `arn:aws:events:eu-west-1:123456789012:event-bus/${NAME}`;
const DISCOVERER_ID = `events-event-bus-${NAME}`;
const OWNERSHIP = { 'github-event-bus:stack-id': STACK_ID, 'github-event-bus:logical-id': 'Bus' };

const spec: BusSpec = {
  name: NAME,
  state: 'STARTED',
  tags: { app: 'e2e' },
  logConfig: { Level: 'ERROR', IncludeDetail: 'FULL' },
};
const outputs = {
  BusRef: NAME,
  EventBusName: NAME,
  EventBusArn: ARN,
  DiscovererId: DISCOVERER_ID,
  DiscovererArn: `arn:aws:schemas:eu-west-1:123456789012:discoverer/${DISCOVERER_ID}`,
  DiscovererState: 'STARTED',
  CrossAccount: 'true',
  SchemaRegistryName: 'discovered-schemas',
};
const clients = () => ({
  events: new EventBridgeClient({ region: 'eu-west-1' }),
  schemas: new SchemasClient({ region: 'eu-west-1' }),
});

beforeEach(() => {
  // Resets the mocks; each test then answers for one bus of its own.
  new FakeAccount();
  events
    .on(DescribeEventBusCommand)
    .resolves({ Name: NAME, Arn: ARN, LogConfig: { Level: 'ERROR', IncludeDetail: 'FULL' } });
  events.on(ListTagsForResourceCommand).resolves({
    Tags: Object.entries({ app: 'e2e', ...OWNERSHIP }).map(([Key, Value]) => ({ Key, Value })),
  });
  events.on(ListRulesCommand).resolves({ Rules: [{ Name: `Schemas-${DISCOVERER_ID}`, State: 'ENABLED' }] });
  schemas.on(DescribeDiscovererCommand).resolves({
    DiscovererId: DISCOVERER_ID,
    DiscovererArn: outputs.DiscovererArn,
    SourceArn: ARN,
    State: 'STARTED',
    CrossAccount: true,
    Tags: { app: 'e2e', ...OWNERSHIP, 'github-event-bus:bus-owned': 'true' },
  });
});

describe('checkBus', () => {
  it('finds nothing wrong when the account matches the spec and the outputs', async () => {
    // Act
    const { problems, summary } = await checkBus(clients(), spec, outputs, STACK_ID);

    // Assess
    expect(problems).toEqual([]);
    expect(summary).toBe('discoverer STARTED, rule ENABLED, 1 tags, LogConfig ERROR/FULL, 8 outputs');
  });

  it('reports an output that differs from what the account holds', async () => {
    // Act
    const { problems } = await checkBus(clients(), spec, { ...outputs, EventBusArn: `${ARN}-other` }, STACK_ID);

    // Assess
    expect(problems).toEqual([`output EventBusArn is "${ARN}-other", the account says ${ARN}`]);
  });

  it('reports user tags that differ, and ownership tags of another stack', async () => {
    // Prepare
    events.on(ListTagsForResourceCommand).resolves({
      Tags: [
        { Key: 'app', Value: 'e2e' },
        { Key: 'stale', Value: 'x' },
        { Key: 'github-event-bus:stack-id', Value: 'another' },
        { Key: 'github-event-bus:logical-id', Value: 'Bus' },
      ],
    });

    // Act
    const { problems } = await checkBus(clients(), spec, outputs, STACK_ID);

    // Assess
    expect(problems).toEqual([
      'bus tags are {"app":"e2e","stale":"x"}, expected {"app":"e2e"}',
      'bus does not carry the ownership tags of Bus in this stack',
    ]);
  });

  it('reports a LogConfig, a discoverer and a managed rule that are not as the spec says', async () => {
    // Prepare
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: ARN });
    events.on(ListRulesCommand).resolves({ Rules: [{ Name: `Schemas-${DISCOVERER_ID}`, State: 'DISABLED' }] });
    schemas.on(DescribeDiscovererCommand).resolves({
      DiscovererId: DISCOVERER_ID,
      SourceArn: `${ARN}x`,
      State: 'STARTED',
      Tags: { app: 'e2e', ...OWNERSHIP },
    });

    // Act
    const { problems } = await checkBus(clients(), spec, outputs, STACK_ID);

    // Assess
    expect(problems).toEqual([
      'bus LogConfig is OFF/NONE, expected ERROR/FULL',
      `discoverer is on ${ARN}x, not ${ARN}`,
      `managed rule Schemas-${DISCOVERER_ID} is DISABLED while discovery is STARTED`,
    ]);
  });

  it('reports a bus that is not there, and nothing else', async () => {
    // Prepare
    events.on(DescribeEventBusCommand).rejects(new ResourceNotFoundException({ message: 'no', $metadata: {} }));

    // Act
    const { problems } = await checkBus(clients(), spec, outputs, STACK_ID);

    // Assess
    expect(problems).toEqual([`bus ${NAME} does not exist`]);
  });
});
