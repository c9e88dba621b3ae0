import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { answerOf, type Harness, startHarness } from './harness';

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

const busProps = (extra: Record<string, unknown> = {}) => ({
  ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider',
  EventBusName: NAME,
  ...extra,
});

const logConfigOfBus = () => harness.emulator.buses().find((bus) => bus.name === NAME)?.logConfig;

describe('LogConfig through the built bundle', () => {
  it('is set by the Create, in the same two calls', async () => {
    // Act
    const invocation = await harness.create(busProps({ LogConfig: { IncludeDetail: 'FULL', Level: 'INFO' } }));
    // Assess
    expect(answerOf(invocation).Status).toBe('SUCCESS');
    expect(invocation.awsCalls).toEqual(['CreateEventBus', 'CreateDiscoverer']);
    expect(logConfigOfBus()).toEqual({ IncludeDetail: 'FULL', Level: 'INFO' });
  });

  it('is changed in place by an Update, keeping the physical id', async () => {
    // Prepare
    const before = busProps({ LogConfig: { IncludeDetail: 'FULL', Level: 'INFO' } });
    const after = busProps({ LogConfig: { IncludeDetail: 'NONE', Level: 'ERROR' } });
    await harness.create(before);
    const busArn = harness.emulator.buses()[0]?.arn;
    // Act
    const invocation = await harness.update(NAME, after, before);
    // Assess
    expect(answerOf(invocation)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: NAME });
    // The bus's own tags prove it ours before it is changed.
    expect([...invocation.awsCalls].sort()).toEqual([
      'DescribeDiscoverer',
      'DescribeEventBus',
      'ListTagsForResource',
      'UpdateEventBus',
    ]);
    expect(harness.emulator.buses().map((bus) => bus.arn)).toEqual([busArn]);
    expect(logConfigOfBus()).toEqual({ IncludeDetail: 'NONE', Level: 'ERROR' });
  });

  it('costs no call beyond the two reads when it has not changed', async () => {
    // Prepare
    const props = busProps({ LogConfig: { Level: 'TRACE' } });
    await harness.create(props);
    // Act
    const invocation = await harness.update(NAME, props, props);
    // Assess
    expect(answerOf(invocation).Status).toBe('SUCCESS');
    expect([...invocation.awsCalls].sort()).toEqual(['DescribeDiscoverer', 'DescribeEventBus']);
  });

  it('turns logging off when the property is removed', async () => {
    // Prepare
    const before = busProps({ LogConfig: { IncludeDetail: 'FULL', Level: 'TRACE' } });
    await harness.create(before);
    // Act
    const invocation = await harness.update(NAME, busProps(), before);
    // Assess
    expect(answerOf(invocation).Status).toBe('SUCCESS');
    expect(logConfigOfBus()).toEqual({ IncludeDetail: 'NONE', Level: 'OFF' });
  });

  it('refuses invalid values naming the member, before any AWS call', async () => {
    // Act
    const invocation = await harness.create(busProps({ LogConfig: { IncludeDetail: 'SOME', Level: 'DEBUG' } }));
    // Assess
    const answer = answerOf(invocation);
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toContain('LogConfig.IncludeDetail must be FULL or NONE, got "SOME"');
    expect(answer.Reason).toContain('LogConfig.Level must be ERROR, INFO, OFF or TRACE, got "DEBUG"');
    expect(invocation.awsCalls).toEqual([]);
    expect(harness.emulator.calls).toEqual([]);
  });

  it('leaves the LogConfig of an adopted bus alone, on Create and on Update', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: NAME, LogConfig: { IncludeDetail: 'FULL', Level: 'TRACE' } }));
    const adopting = busProps({ AdoptExisting: 'true', LogConfig: { Level: 'ERROR' } });
    // Act
    const created = answerOf(await harness.create(adopting));
    const updated = answerOf(
      await harness.update(NAME, busProps({ AdoptExisting: 'true', LogConfig: { Level: 'INFO' } }), adopting),
    );
    // Assess
    expect([created.Status, updated.Status]).toEqual(['SUCCESS', 'SUCCESS']);
    expect(logConfigOfBus()).toEqual({ IncludeDetail: 'FULL', Level: 'TRACE' });
    expect(harness.emulator.calls.map((call) => call.operation)).not.toContain('UpdateEventBus');
  });
});
