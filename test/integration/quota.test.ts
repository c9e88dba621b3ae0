// The built handler at the account's quota of discoverers, against the emulator enforcing one: the Create fails
// with a Reason that names the quota and how to raise it, keeps AWS's words, and leaves nothing of its own behind.
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateDiscovererCommand, DeleteDiscovererCommand, SchemasClient } from '@aws-sdk/client-schemas';
import { discovererQuotaMessage } from '../../scripts/emulator';
import { answerOf, type Harness, leftovers, startHarness } from './harness';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ discovererQuota: 1 });
});
afterAll(() => harness.close());
beforeEach(() => harness.emulator.reset());

const busProps = (name: string, extra: Record<string, unknown> = {}) => ({
  ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider',
  EventBusName: name,
  ...extra,
});

describe('a Create at the quota of discoverers', () => {
  it('fails with a Reason naming the quota per Region, Service Quotas and AWS’s own message', async () => {
    // Prepare
    expect(answerOf(await harness.create(busProps('first'))).Status).toBe('SUCCESS');

    // Act
    const answer = answerOf(await harness.create(busProps('second')));

    // Assess
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toContain(
      `CreateDiscoverer failed: BadRequestException: ${discovererQuotaMessage(1, 'us-east-1')}`,
    );
    expect(answer.Reason).toContain('quota of discoverers per Region in us-east-1 (10 by default)');
    expect(answer.Reason).toContain('Service Quotas (console, or aws service-quotas request-service-quota-increase');
  });

  it('takes back the bus it created, so only the first resource is left', async () => {
    // Prepare
    await harness.create(busProps('first'));

    // Act
    await harness.create(busProps('second'));

    // Assess
    expect(leftovers(harness.emulator)).toEqual(['bus first', 'discoverer events-event-bus-first']);
  });

  it('fails a drift-healing Update the same way when the discoverer went and its place was taken', async () => {
    // Prepare: the discoverer of "first" deleted by hand, and another bus's discoverer made in its place.
    const props = busProps('first');
    await harness.create(props);
    const config = { endpoint: harness.emulator.url };
    const events = new EventBridgeClient(config);
    const schemas = new SchemasClient(config);
    await schemas.send(new DeleteDiscovererCommand({ DiscovererId: 'events-event-bus-first' }));
    const { EventBusArn } = await events.send(new CreateEventBusCommand({ Name: 'other' }));
    await schemas.send(new CreateDiscovererCommand({ SourceArn: EventBusArn }));
    events.destroy();
    schemas.destroy();

    // Act
    const answer = answerOf(await harness.update('first', props, props));

    // Assess
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toContain('quota of discoverers per Region in us-east-1');
  });
});
