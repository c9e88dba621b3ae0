import { Agent, request } from 'node:http';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DescribeEventBusCommand,
  type EventBridgeClient,
  PutRuleCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import {
  CreateDiscovererCommand,
  CreateRegistryCommand,
  ListDiscoverersCommand,
  type SchemasClient,
  UntagResourceCommand,
} from '@aws-sdk/client-schemas';
import { type Emulator, ServiceError, startEmulator } from '../../scripts/emulator';
import { busArn, eventBridgeClient, rejectionOf, useEmulator } from './clients';

let emulator: Emulator;
let events: EventBridgeClient;
let schemas: SchemasClient;
useEmulator((started) => {
  ({ emulator, events, schemas } = started);
});

function awsJson(operation: string, body: string): Promise<Response> {
  return fetch(emulator.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSEvents.${operation}` },
    body,
  });
}

describe('the call log', () => {
  it('records every call in order with its operation, decoded input, status and error', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));

    // Act
    await rejectionOf(events.send(new DescribeEventBusCommand({ Name: 'missing' })));

    // Assess
    expect(emulator.calls).toEqual([
      { service: 'events', operation: 'CreateEventBus', input: { Name: 'orders' }, status: 200, region: 'us-east-1' },
      {
        service: 'events',
        operation: 'DescribeEventBus',
        input: { Name: 'missing' },
        status: 400,
        error: 'ResourceNotFoundException',
        region: 'us-east-1',
      },
    ]);
  });

  it('records Schemas inputs decoded from the query string', async () => {
    // Act
    await schemas.send(new ListDiscoverersCommand({ DiscovererIdPrefix: 'events-', Limit: 5 }));

    // Assess
    expect(emulator.calls[0]).toMatchObject({
      operation: 'ListDiscoverers',
      input: { DiscovererIdPrefix: 'events-', Limit: 5 },
    });
  });

  it('records Schemas inputs decoded from an encoded path label and repeated query keys', async () => {
    // Prepare
    const arn = 'arn:aws:schemas:us-east-1:123456789012:discoverer/events-event-bus-x';

    // Act
    await rejectionOf(schemas.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a', 'b'] })));

    // Assess
    expect(emulator.calls[0]).toMatchObject({
      operation: 'UntagResource',
      input: { ResourceArn: arn, TagKeys: ['a', 'b'] },
    });
  });

  it('records the input of a faulted call', async () => {
    // Prepare
    emulator.inject({ action: { type: 'throttle' } });

    // Act
    await rejectionOf(events.send(new CreateEventBusCommand({ Name: 'orders' })));

    // Assess
    expect(emulator.calls[0]).toMatchObject({
      input: { Name: 'orders' },
      fault: 'throttle',
      error: 'ThrottlingException',
    });
  });
});

describe('the wire formats', () => {
  it('answers awsJson1_1 errors with __type and message in an x-amz-json-1.1 body', async () => {
    // Act
    const response = await awsJson('DescribeEventBus', '{"Name":"missing"}');

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await response.json()).toEqual({ __type: 'ResourceNotFoundException', message: expect.any(String) });
  });

  it('answers awsJson1_1 timestamps as epoch seconds', async () => {
    // Act
    const response = await awsJson('DescribeEventBus', '{}');

    // Assess
    expect(await response.json()).toMatchObject({ CreationTime: expect.any(Number) });
  });

  it('answers restJson1 errors with x-amzn-ErrorType and a Code/Message body', async () => {
    // Act
    const response = await fetch(`${emulator.url}/v1/discoverers/id/missing`);

    // Assess
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('NotFoundException');
    expect(await response.json()).toEqual({ Code: 'NotFoundException', Message: expect.any(String) });
  });

  it('names restJson1 body members by their jsonName trait', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    await schemas.send(new CreateDiscovererCommand({ SourceArn: busArn('orders'), Tags: { team: 'a' } }));

    // Act
    const response = await fetch(`${emulator.url}/v1/discoverers/id/events-event-bus-orders`);

    // Assess
    expect(await response.json()).toMatchObject({ DiscovererId: 'events-event-bus-orders', tags: { team: 'a' } });
  });

  it('answers a body that is not JSON with SerializationException', async () => {
    // Act
    const response = await awsJson('CreateEventBus', '{not json');

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'SerializationException' });
  });
});

describe('operations the emulator does not serve', () => {
  it('answers an EventBridge operation of the model it does not implement with UnknownOperationException', async () => {
    // Act
    const error = await rejectionOf(events.send(new PutRuleCommand({ Name: 'r', EventPattern: '{}' })));

    // Assess
    expect(error.name).toBe('UnknownOperationException');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
  });

  it('names the operations it does serve of that service in the message', async () => {
    // Act
    const error = await rejectionOf(events.send(new PutRuleCommand({ Name: 'r', EventPattern: '{}' })));

    // Assess
    expect(error.message).toMatch(/^Operation PutRule is not supported by this emulator; of events it serves /);
    expect(error.message).toContain('CreateEventBus, DescribeEventBus, UpdateEventBus, DeleteEventBus, ListEventBuses');
    expect(error.message).not.toContain('CreateDiscoverer');
  });

  it('answers a target that is not in the model with UnknownOperationException', async () => {
    // Act
    const response = await awsJson('NoSuchOperation', '{}');

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });

  it('answers a Schemas operation it does not implement with UnknownOperationException', async () => {
    // Act
    const error = await rejectionOf(schemas.send(new CreateRegistryCommand({ RegistryName: 'mine' })));

    // Assess
    expect(error.name).toBe('UnknownOperationException');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
  });
});

describe('region and account', () => {
  it('takes the region from the credential scope of the signature', async () => {
    // Prepare
    const west = eventBridgeClient(emulator, { region: 'eu-west-1' });

    // Act
    const output = await west.send(new CreateEventBusCommand({ Name: 'orders' }));
    west.destroy();

    // Assess
    expect(output.EventBusArn).toBe(busArn('orders', 'eu-west-1'));
  });

  it('keeps each region’s buses apart', async () => {
    // Prepare
    const west = eventBridgeClient(emulator, { region: 'eu-west-1' });
    await west.send(new CreateEventBusCommand({ Name: 'orders' }));
    west.destroy();

    // Act
    const error = await rejectionOf(events.send(new DescribeEventBusCommand({ Name: 'orders' })));

    // Assess
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });

  it('uses us-east-1 for an unsigned request', async () => {
    // Act
    const response = await awsJson('CreateEventBus', '{"Name":"orders"}');

    // Assess
    expect(await response.json()).toEqual({ EventBusArn: busArn('orders') });
  });

  it('puts the accountId option in the ARNs', async () => {
    // Prepare
    const other = await startEmulator({ accountId: '111122223333' });
    const client = eventBridgeClient(other);

    // Act
    const output = await client.send(new CreateEventBusCommand({ Name: 'orders' }));
    client.destroy();
    await other.close();

    // Assess
    expect(output.EventBusArn).toBe('arn:aws:events:us-east-1:111122223333:event-bus/orders');
  });
});

describe('the authorize option', () => {
  it('answers the error it returns instead of running the call, and runs the calls it lets through', async () => {
    // Prepare: refuse deleting, allow everything else.
    const asked: string[] = [];
    const guarded = await startEmulator({
      authorize: async (call) => {
        asked.push(call.operation);
        return call.operation === 'DeleteEventBus'
          ? new ServiceError('AccessDeniedException', 'not authorized', 400)
          : undefined;
      },
    });
    const client = eventBridgeClient(guarded);

    // Act
    await client.send(new CreateEventBusCommand({ Name: 'orders' }));
    const refused = await rejectionOf(client.send(new DeleteEventBusCommand({ Name: 'orders' })));
    const buses = guarded.buses().map((bus) => bus.name);
    client.destroy();
    await guarded.close();

    // Assess
    expect(asked).toEqual(['CreateEventBus', 'DeleteEventBus']);
    expect(refused.name).toBe('AccessDeniedException');
    expect(buses).toEqual(['orders']);
  });
});

describe('the server', () => {
  it('delays every answer by the latency', async () => {
    // Prepare
    emulator.setLatency(150);
    const started = performance.now();

    // Act
    await events.send(new DescribeEventBusCommand({}));

    // Assess
    expect(performance.now() - started).toBeGreaterThanOrEqual(148);
  });

  it('keeps connections alive between requests', async () => {
    // Prepare
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = () =>
      new Promise<boolean>((resolve, reject) => {
        const outgoing = request(
          emulator.url,
          { method: 'POST', agent, headers: { 'x-amz-target': 'AWSEvents.DescribeEventBus' } },
          (response) => {
            response.resume();
            response.on('end', () => resolve(outgoing.reusedSocket));
          },
        );
        outgoing.on('error', reject);
        outgoing.end('{}');
      });
    await post();

    // Act
    const reused = await post();
    agent.destroy();

    // Assess
    expect(reused).toBe(true);
  });

  it('forgets state, calls and faults on reset', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    emulator.inject({ times: Number.POSITIVE_INFINITY, action: { type: 'throttle' } });

    // Act
    emulator.reset();

    // Assess
    expect([emulator.buses(), emulator.calls, emulator.events]).toEqual([[], [], []]);
    await expect(events.send(new DescribeEventBusCommand({}))).resolves.toBeDefined();
  });

  it('ends a hung request when it closes', async () => {
    // Prepare
    const doomed = await startEmulator();
    const client = eventBridgeClient(doomed);
    doomed.inject({ action: { type: 'hang' } });
    const pending = rejectionOf(client.send(new DescribeEventBusCommand({})));
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Act
    await doomed.close();

    // Assess
    expect((await pending).message).toMatch(/socket hang up|ECONNRESET/);
    client.destroy();
  });
});
