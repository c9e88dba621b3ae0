import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  type EventBridgeClient,
  InternalException,
  ResourceAlreadyExistsException,
  ThrottlingException,
} from '@aws-sdk/client-eventbridge';
import { ListDiscoverersCommand, type SchemasClient, TooManyRequestsException } from '@aws-sdk/client-schemas';
import { type Emulator, FaultConfigError } from '../../scripts/emulator';
import { eventBridgeClient, rejectionOf, useEmulator } from './clients';

let emulator: Emulator;
let events: EventBridgeClient;
let schemas: SchemasClient;
useEmulator((started) => {
  ({ emulator, events, schemas } = started);
});

const describeDefault = () => events.send(new DescribeEventBusCommand({}));

describe('an error fault', () => {
  it('answers the named error with its status and message', async () => {
    // Prepare
    emulator.inject({
      operation: 'CreateEventBus',
      action: { type: 'error', name: 'InternalException', status: 500, message: 'boom' },
    });

    // Act
    const error = await rejectionOf(events.send(new CreateEventBusCommand({ Name: 'orders' })));

    // Assess
    expect(error).toBeInstanceOf(InternalException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 500 });
    expect(error.message).toBe('boom');
  });

  it('keeps the operation from taking effect', async () => {
    // Prepare
    emulator.inject({ operation: 'CreateEventBus', action: { type: 'error', name: 'InternalException', status: 500 } });

    // Act
    await rejectionOf(events.send(new CreateEventBusCommand({ Name: 'orders' })));

    // Assess
    expect(emulator.buses()).toEqual([]);
  });
});

describe('a throttle fault', () => {
  it('answers ThrottlingException with status 400 on EventBridge', async () => {
    // Prepare
    emulator.inject({ service: 'events', action: { type: 'throttle' } });

    // Act
    const error = await rejectionOf(describeDefault());

    // Assess
    expect(error).toBeInstanceOf(ThrottlingException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
  });

  it('answers TooManyRequestsException with status 429 on Schemas', async () => {
    // Prepare
    emulator.inject({ service: 'schemas', action: { type: 'throttle' } });

    // Act
    const error = await rejectionOf(schemas.send(new ListDiscoverersCommand({})));

    // Assess
    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 429 });
  });

  it('is retried away by the SDK when it applies once and retries are allowed', async () => {
    // Prepare
    const retrying = eventBridgeClient(emulator, { maxAttempts: 3 });
    emulator.inject({ service: 'events', action: { type: 'throttle' } });

    // Act
    const output = await retrying.send(new DescribeEventBusCommand({}));
    retrying.destroy();

    // Assess
    expect(output.$metadata.attempts).toBe(2);
  });
});

describe('a delay fault', () => {
  it('answers normally after the delay', async () => {
    // Prepare
    emulator.inject({ action: { type: 'delay', ms: 300 } });
    const started = performance.now();

    // Act
    const output = await describeDefault();

    // Assess
    expect(output.Name).toBe('default');
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
  });
});

describe('a hang fault', () => {
  it('never answers, so the client times out', async () => {
    // Prepare
    const impatient = eventBridgeClient(emulator, {
      requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
    });
    emulator.inject({ action: { type: 'hang' } });

    // Act
    const error = await rejectionOf(impatient.send(new DescribeEventBusCommand({})));
    impatient.destroy();

    // Assess
    expect(error.name).toBe('TimeoutError');
    expect(emulator.calls).toEqual([
      expect.objectContaining({ operation: 'DescribeEventBus', status: 0, fault: 'hang' }),
    ]);
  });

  it('is ended by an AbortController', async () => {
    // Prepare
    emulator.inject({ action: { type: 'hang' } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);

    // Act
    const error = await rejectionOf(events.send(new DescribeEventBusCommand({}), { abortSignal: controller.signal }));

    // Assess
    expect(error.name).toBe('AbortError');
  });
});

describe('a hang fault that applies the call', () => {
  it('makes the operation take effect although the client times out', async () => {
    // Prepare
    const impatient = eventBridgeClient(emulator, {
      requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
    });
    emulator.inject({ operation: 'CreateEventBus', action: { type: 'hang', applied: true } });

    // Act
    const error = await rejectionOf(impatient.send(new CreateEventBusCommand({ Name: 'orders' })));
    impatient.destroy();

    // Assess
    expect(error.name).toBe('TimeoutError');
    expect(emulator.buses().map((bus) => bus.name)).toEqual(['orders']);
    expect(emulator.calls).toEqual([
      expect.objectContaining({ operation: 'CreateEventBus', status: 0, fault: 'hang' }),
    ]);
  });

  it('shows a retrying client the effect of its own call after the wait', async () => {
    // Prepare
    const retrying = eventBridgeClient(emulator, {
      maxAttempts: 2,
      requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
    });
    emulator.inject({ operation: 'CreateEventBus', action: { type: 'hang', applied: true } });

    // Act
    const error = await rejectionOf(retrying.send(new CreateEventBusCommand({ Name: 'orders' })));
    retrying.destroy();

    // Assess
    expect(error).toBeInstanceOf(ResourceAlreadyExistsException);
  });
});

describe('a drop fault', () => {
  it('makes the operation take effect although the client gets an error', async () => {
    // Prepare
    emulator.inject({ operation: 'CreateEventBus', action: { type: 'drop' } });

    // Act
    const error = await rejectionOf(events.send(new CreateEventBusCommand({ Name: 'orders' })));

    // Assess
    expect(error.message).toMatch(/socket hang up/);
    expect(error.$metadata).not.toHaveProperty('httpStatusCode');
    expect(emulator.buses().map((bus) => bus.name)).toEqual(['orders']);
  });

  it('shows a retrying client the effect of its own lost call', async () => {
    // Prepare
    const retrying = eventBridgeClient(emulator, { maxAttempts: 3 });
    emulator.inject({ operation: 'CreateEventBus', action: { type: 'drop' } });

    // Act
    const error = await rejectionOf(retrying.send(new CreateEventBusCommand({ Name: 'orders' })));
    retrying.destroy();

    // Assess
    expect(error).toBeInstanceOf(ResourceAlreadyExistsException);
  });
});

describe('fault matching', () => {
  it('applies from the nth matching call on', async () => {
    // Prepare
    emulator.inject({ operation: 'DescribeEventBus', nth: 2, action: { type: 'throttle' } });

    // Act
    for (let call = 0; call < 3; call += 1) await describeDefault().catch(() => undefined);

    // Assess
    expect(emulator.calls.map((call) => call.status)).toEqual([200, 400, 200]);
  });

  it('applies to as many calls as times says', async () => {
    // Prepare
    emulator.inject({ times: 2, action: { type: 'throttle' } });

    // Act
    for (let call = 0; call < 3; call += 1) await describeDefault().catch(() => undefined);

    // Assess
    expect(emulator.calls.map((call) => call.status)).toEqual([400, 400, 200]);
  });

  it('applies to every call when times is Infinity', async () => {
    // Prepare
    emulator.inject({ times: Number.POSITIVE_INFINITY, action: { type: 'throttle' } });

    // Act
    for (let call = 0; call < 5; call += 1) await describeDefault().catch(() => undefined);

    // Assess
    expect(emulator.calls.every((call) => call.error === 'ThrottlingException')).toBe(true);
  });

  it('leaves calls to another service alone', async () => {
    // Prepare
    emulator.inject({ service: 'schemas', action: { type: 'throttle' } });

    // Act
    const output = await describeDefault();

    // Assess
    expect(output.Name).toBe('default');
  });

  it('stops applying after clearFaults', async () => {
    // Prepare
    emulator.inject({ times: Number.POSITIVE_INFINITY, action: { type: 'throttle' } });
    emulator.clearFaults();

    // Act
    const output = await describeDefault();

    // Assess
    expect(output.Name).toBe('default');
  });

  it.each([{ nth: 0 }, { times: 0 }, { times: 1.5 }])(
    'refuses the impossible rule %j with FaultConfigError',
    (rule) => {
      // Act
      const inject = () => emulator.inject({ ...rule, action: { type: 'throttle' } });

      // Assess
      expect(inject).toThrow(FaultConfigError);
    },
  );
});
