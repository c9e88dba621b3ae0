import { EventBridgeClient, PutPermissionCommand, RemovePermissionCommand } from '@aws-sdk/client-eventbridge';
import { answerOf, type Harness, leftovers, startHarness } from './harness';

let harness: Harness;
let events: EventBridgeClient;

beforeAll(async () => {
  harness = await startHarness();
  events = new EventBridgeClient({ endpoint: harness.emulator.url });
});
afterAll(async () => {
  events.destroy();
  await harness.close();
});
beforeEach(() => harness.emulator.reset());

const NAME = 'github-actions-event-bus';
const PROPS = { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider', EventBusName: NAME };

// What AWS::Events::EventBusPolicy does with the bus name our Ref returns.
const grantOtherAccount = () =>
  events.send(
    new PutPermissionCommand({
      EventBusName: NAME,
      StatementId: 'other-account',
      Action: 'events:PutEvents',
      Principal: '111122223333',
    }),
  );

describe('a bus with a resource policy', () => {
  it('is deleted cleanly by the Delete while the policy statement is still on it', async () => {
    // Prepare
    await harness.create(PROPS);
    await grantOtherAccount();
    const policyBefore = harness.emulator.buses()[0]?.policy;
    // Act
    const deleted = answerOf(await harness.delete(NAME, PROPS));
    // Assess
    expect(policyBefore).toEqual([expect.objectContaining({ Sid: 'other-account' })]);
    expect(deleted.Status).toBe('SUCCESS');
    expect(leftovers(harness.emulator)).toEqual([]);
  });

  it('is deleted cleanly after the policy resource removed its statement, as CloudFormation orders it', async () => {
    // Prepare
    await harness.create(PROPS);
    await grantOtherAccount();
    await events.send(new RemovePermissionCommand({ EventBusName: NAME, StatementId: 'other-account' }));
    // Act
    const deleted = answerOf(await harness.delete(NAME, PROPS));
    // Assess
    expect(deleted.Status).toBe('SUCCESS');
    expect(leftovers(harness.emulator)).toEqual([]);
  });

  it('keeps its policy across an Update of the resource', async () => {
    // Prepare
    await harness.create(PROPS);
    await grantOtherAccount();
    // Act
    const updated = answerOf(await harness.update(NAME, { ...PROPS, Description: 'runners' }, PROPS));
    // Assess
    expect(updated.Status).toBe('SUCCESS');
    expect(harness.emulator.buses()[0]?.policy).toEqual([expect.objectContaining({ Sid: 'other-account' })]);
  });
});
