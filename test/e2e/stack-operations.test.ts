// Waiting out one stack operation on its own events: the ClientRequestToken tells them from earlier ones.
import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type StackEvent,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { StackOperations } from '../../scripts/e2e/stack-operations';
import { cloudFormation, FakeAccount } from './fake-account';

const NAME = 'github-event-bus-e2e-0a1b2c3d';
const TOKEN = `${NAME}-update-1`;

const event = (logicalId: string, status: string, token = TOKEN, reason?: string): StackEvent => ({
  StackName: NAME,
  StackId: 'stack-id',
  EventId: `${logicalId}-${status}`,
  LogicalResourceId: logicalId,
  ResourceType: logicalId === NAME ? 'AWS::CloudFormation::Stack' : 'Custom::GithubEventBus',
  ResourceStatus: status as StackEvent['ResourceStatus'],
  ResourceStatusReason: reason,
  Timestamp: new Date(),
  ClientRequestToken: token,
});

let sleeps: number[];
const operations = () => {
  const stack = new StackOperations(new CloudFormationClient({ region: 'eu-west-1' }), NAME, {
    pollMs: 5_000,
    timeoutMs: 600_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    now: () => sleeps.reduce((sum, ms) => sum + ms, 0),
  });
  stack.stackId = 'stack-id';
  return stack;
};

beforeEach(() => {
  new FakeAccount();
  sleeps = [];
  cloudFormation.on(UpdateStackCommand).resolves({});
  cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [] });
});

describe('StackOperations', () => {
  it('polls the events until the stack’s own event ends the operation', async () => {
    // Prepare
    cloudFormation
      .on(DescribeStackEventsCommand)
      .resolvesOnce({ StackEvents: [event(NAME, 'UPDATE_IN_PROGRESS'), event(NAME, 'CREATE_COMPLETE', 'older')] })
      .resolves({
        StackEvents: [
          event(NAME, 'UPDATE_COMPLETE'),
          event(NAME, 'UPDATE_IN_PROGRESS'),
          event(NAME, 'CREATE_COMPLETE', 'older'),
        ],
      });

    // Act
    const result = await operations().update('{}');

    // Assess
    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(sleeps).toEqual([5_000]);
  });

  it('reads further pages until one holds an earlier operation’s event, and gives failures oldest first', async () => {
    // Prepare
    cloudFormation
      .on(DescribeStackEventsCommand, { NextToken: undefined })
      .resolves({
        StackEvents: [
          event(NAME, 'UPDATE_ROLLBACK_COMPLETE'),
          event('Breaker', 'CREATE_FAILED', TOKEN, 'Invalid properties: EventBusName'),
        ],
        NextToken: 'page-2',
      })
      .on(DescribeStackEventsCommand, { NextToken: 'page-2' })
      .resolves({
        StackEvents: [
          event('Bus', 'UPDATE_FAILED', TOKEN, 'Resource update cancelled'),
          event(NAME, 'UPDATE_IN_PROGRESS'),
          event(NAME, 'UPDATE_COMPLETE', 'older'),
        ],
        NextToken: 'page-3',
      });

    // Act
    const result = await operations().update('{}');

    // Assess
    expect(result.failures).toEqual([
      { logicalId: 'Bus', status: 'UPDATE_FAILED', reason: 'Resource update cancelled' },
      { logicalId: 'Breaker', status: 'CREATE_FAILED', reason: 'Invalid properties: EventBusName' },
    ]);
    expect(cloudFormation).toHaveReceivedCommandTimes(DescribeStackEventsCommand, 2);
  });

  it('does not take an earlier operation’s end for this one’s', async () => {
    // Prepare
    cloudFormation
      .on(DescribeStackEventsCommand)
      .resolvesOnce({ StackEvents: [event(NAME, 'UPDATE_COMPLETE', 'older')] })
      .resolves({ StackEvents: [event(NAME, 'UPDATE_ROLLBACK_COMPLETE'), event(NAME, 'UPDATE_COMPLETE', 'older')] });

    // Act
    const result = await operations().update('{}');

    // Assess
    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  });
});
