import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  type EventBridgeClient,
  UpdateEventBusCommand,
} from '@aws-sdk/client-eventbridge';
import { type Emulator, startEmulator } from '../../scripts/emulator';
import { eventBridgeClient, useEmulator } from './clients';

let emulator: Emulator;
let events: EventBridgeClient;
useEmulator((started) => {
  ({ emulator, events } = started);
});

const SKEW_MS = 60_000;
// The emulator reports times in whole seconds (awsJson1_1 epoch seconds), and a test takes some ms.
const CLOSE_MS = 2_000;

const describeOrders = () => events.send(new DescribeEventBusCommand({ Name: 'orders' }));

describe('clock skew', () => {
  it('reports a bus created while the services run ahead as created that far in the future', async () => {
    // Prepare
    emulator.setClockSkew(SKEW_MS);

    // Act
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));

    // Assess
    const { CreationTime } = await describeOrders();
    expect(Math.abs((CreationTime?.getTime() ?? 0) - (Date.now() + SKEW_MS))).toBeLessThan(CLOSE_MS);
  });

  it('reports a bus created while the services run behind as created that far in the past', async () => {
    // Prepare
    emulator.setClockSkew(-SKEW_MS);

    // Act
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));

    // Assess
    const { CreationTime } = await describeOrders();
    expect(Math.abs((CreationTime?.getTime() ?? 0) - (Date.now() - SKEW_MS))).toBeLessThan(CLOSE_MS);
  });

  it('dates a change by the skew in force when it is made', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    emulator.setClockSkew(-SKEW_MS);

    // Act
    await events.send(new UpdateEventBusCommand({ Name: 'orders', Description: 'changed' }));

    // Assess
    const { CreationTime, LastModifiedTime } = await describeOrders();
    expect((CreationTime?.getTime() ?? 0) - (LastModifiedTime?.getTime() ?? 0)).toBeGreaterThan(SKEW_MS - CLOSE_MS);
  });

  it('takes the skew from the start option too', async () => {
    // Prepare
    const skewed = await startEmulator({ clockSkewMs: -SKEW_MS });
    const client = eventBridgeClient(skewed);

    // Act
    await client.send(new CreateEventBusCommand({ Name: 'orders' }));
    const { CreationTime } = await client.send(new DescribeEventBusCommand({ Name: 'orders' }));
    client.destroy();
    await skewed.close();

    // Assess
    expect(Math.abs((CreationTime?.getTime() ?? 0) - (Date.now() - SKEW_MS))).toBeLessThan(CLOSE_MS);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('refuses a skew of %p', (skew) => {
    // Act
    const set = () => emulator.setClockSkew(skew);

    // Assess
    expect(set).toThrow(RangeError);
  });
});
