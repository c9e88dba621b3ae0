import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  type EventBridgeClient,
  ThrottlingException,
} from '@aws-sdk/client-eventbridge';
import { ListDiscoverersCommand, type SchemasClient, TooManyRequestsException } from '@aws-sdk/client-schemas';
import { type Emulator, FaultConfigError } from '../../scripts/emulator';
import { TokenBucket } from '../../scripts/emulator/rate-limit';
import { rejectionOf, useEmulator } from './clients';

let emulator: Emulator;
let events: EventBridgeClient;
let schemas: SchemasClient;
useEmulator((started) => {
  ({ emulator, events, schemas } = started);
});

const describeDefault = () => events.send(new DescribeEventBusCommand({}));
const listDiscoverers = () => schemas.send(new ListDiscoverersCommand({}));

describe('a rate limit', () => {
  it('answers EventBridge calls over the rate with ThrottlingException and status 400', async () => {
    // Prepare (one call a second: the second call comes well within that second)
    emulator.setRateLimit({ callsPerSecond: 1 });
    await describeDefault();

    // Act
    const error = await rejectionOf(describeDefault());

    // Assess
    expect(error).toBeInstanceOf(ThrottlingException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
    expect(emulator.calls.map((call) => [call.status, call.error, call.rateLimited])).toEqual([
      [200, undefined, undefined],
      [400, 'ThrottlingException', true],
    ]);
  });

  it('answers Schemas calls over the rate with TooManyRequestsException and status 429', async () => {
    // Prepare
    emulator.setRateLimit({ callsPerSecond: 1 });
    await listDiscoverers();

    // Act
    const error = await rejectionOf(listDiscoverers());

    // Assess
    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 429 });
    expect(emulator.calls[1]).toMatchObject({ error: 'TooManyRequestsException', status: 429, rateLimited: true });
  });

  it('shares one bucket between both services and allows the burst at once', async () => {
    // Prepare
    emulator.setRateLimit({ callsPerSecond: 1, burst: 2 });

    // Act
    await describeDefault();
    await listDiscoverers();
    const third = await rejectionOf(describeDefault());

    // Assess
    expect(third).toBeInstanceOf(ThrottlingException);
  });

  it('keeps a throttled call from taking effect', async () => {
    // Prepare
    emulator.setRateLimit({ callsPerSecond: 1 });
    await describeDefault();

    // Act
    await rejectionOf(events.send(new CreateEventBusCommand({ Name: 'orders' })));

    // Assess
    expect(emulator.buses().map((bus) => bus.name)).not.toContain('orders');
  });

  it('lets calls through again once tokens have refilled', async () => {
    // Prepare (20 a second: a token is back after 50 ms; the wait is generous so a loaded machine passes too)
    emulator.setRateLimit({ callsPerSecond: 20, burst: 1 });
    await describeDefault();

    // Act
    await new Promise((resolve) => setTimeout(resolve, 300));
    const output = await describeDefault();

    // Assess
    expect(output.Name).toBe('default');
  });

  it('is lifted by setRateLimit(undefined)', async () => {
    // Prepare
    emulator.setRateLimit({ callsPerSecond: 1 });
    await describeDefault();

    // Act
    emulator.setRateLimit(undefined);
    await describeDefault();
    await describeDefault();

    // Assess
    expect(emulator.calls.filter((call) => call.rateLimited)).toEqual([]);
  });

  it('refuses a rate that is not a positive number, or a burst under 1', () => {
    expect(() => emulator.setRateLimit({ callsPerSecond: 0 })).toThrow(FaultConfigError);
    expect(() => emulator.setRateLimit({ callsPerSecond: 4, burst: 0.5 })).toThrow(FaultConfigError);
  });
});

describe('TokenBucket', () => {
  it('holds the burst, refills at the rate and never beyond the burst', () => {
    // Prepare
    let now = 0;
    const bucket = new TokenBucket({ callsPerSecond: 4, burst: 2 }, () => now);

    // Act
    const atOnce = [bucket.take(), bucket.take(), bucket.take()];
    now = 250;
    const afterQuarterSecond = [bucket.take(), bucket.take()];
    now = 10_000;
    const afterLongQuiet = [bucket.take(), bucket.take(), bucket.take()];

    // Assess
    expect(atOnce).toEqual([true, true, false]);
    expect(afterQuarterSecond).toEqual([true, false]);
    expect(afterLongQuiet).toEqual([true, true, false]);
  });

  it('does not charge a throttled call', () => {
    // Prepare
    let now = 0;
    const bucket = new TokenBucket({ callsPerSecond: 1 }, () => now);
    bucket.take();

    // Act
    now = 500;
    const early = bucket.take();
    now = 1_000;
    const onTime = bucket.take();

    // Assess
    expect([early, onTime]).toEqual([false, true]);
  });
});
