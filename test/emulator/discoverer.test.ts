import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  type EventBridgeClient,
  ListRulesCommand,
} from '@aws-sdk/client-eventbridge';
import {
  BadRequestException,
  ConflictException,
  CreateDiscovererCommand,
  DeleteDiscovererCommand,
  DescribeDiscovererCommand,
  ListDiscoverersCommand,
  NotFoundException,
  type SchemasClient,
  StartDiscovererCommand,
  StopDiscovererCommand,
  UpdateDiscovererCommand,
} from '@aws-sdk/client-schemas';
import { BUS_HAS_RULES_MESSAGE, discovererQuotaMessage, type Emulator } from '../../scripts/emulator';
import { busArn, eventBridgeClient, rejectionOf, schemasClient, useEmulator } from './clients';

let emulator: Emulator;
let events: EventBridgeClient;
let schemas: SchemasClient;
useEmulator((started) => {
  ({ emulator, events, schemas } = started);
});

async function busWithDiscoverer(name: string): Promise<string> {
  await events.send(new CreateEventBusCommand({ Name: name }));
  const output = await schemas.send(new CreateDiscovererCommand({ SourceArn: busArn(name) }));
  return output.DiscovererId as string;
}

describe('CreateDiscoverer', () => {
  it('answers 201 with a started, cross-account discoverer named after the bus', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));

    // Act
    const output = await schemas.send(
      new CreateDiscovererCommand({ SourceArn: busArn('orders'), Description: 'd', Tags: { team: 'a' } }),
    );

    // Assess
    expect(output).toMatchObject({
      $metadata: expect.objectContaining({ httpStatusCode: 201 }),
      DiscovererId: 'events-event-bus-orders',
      DiscovererArn: 'arn:aws:schemas:us-east-1:123456789012:discoverer/events-event-bus-orders',
      SourceArn: busArn('orders'),
      Description: 'd',
      State: 'STARTED',
      CrossAccount: true,
      Tags: { team: 'a' },
    });
  });

  it('puts a rule managed by schemas.amazonaws.com on the bus', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));

    // Act
    await schemas.send(new CreateDiscovererCommand({ SourceArn: busArn('orders') }));

    // Assess
    const { Rules } = await events.send(new ListRulesCommand({ EventBusName: 'orders' }));
    expect(Rules).toEqual([
      expect.objectContaining({
        Name: 'Schemas-events-event-bus-orders',
        ManagedBy: 'schemas.amazonaws.com',
        EventBusName: 'orders',
      }),
    ]);
  });

  it('raises ConflictException (409) for a second discoverer on the same bus', async () => {
    // Prepare
    await busWithDiscoverer('orders');

    // Act
    const error = await rejectionOf(schemas.send(new CreateDiscovererCommand({ SourceArn: busArn('orders') })));

    // Assess
    expect(error).toBeInstanceOf(ConflictException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 409 });
  });

  it('refuses a bus encrypted with a customer managed key', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'secret', KmsKeyIdentifier: 'alias/cmk' }));

    // Act
    const error = await rejectionOf(schemas.send(new CreateDiscovererCommand({ SourceArn: busArn('secret') })));

    // Assess
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error.message).toMatch(/schema discovery does not support .*customer managed key/i);
  });

  it('refuses the ARN of a bus that does not exist', async () => {
    // Act
    const error = await rejectionOf(schemas.send(new CreateDiscovererCommand({ SourceArn: busArn('missing') })));

    // Assess
    expect(error).toBeInstanceOf(BadRequestException);
  });

  it('refuses a bus in another region', async () => {
    // Prepare
    const west = eventBridgeClient(emulator, { region: 'eu-west-1' });
    await west.send(new CreateEventBusCommand({ Name: 'orders' }));
    west.destroy();

    // Act
    const error = await rejectionOf(
      schemas.send(new CreateDiscovererCommand({ SourceArn: busArn('orders', 'eu-west-1') })),
    );

    // Assess
    expect(error).toBeInstanceOf(BadRequestException);
  });
});

describe('the discoverer quota', () => {
  it('refuses a CreateDiscoverer beyond it with a 400 BadRequestException naming the limit', async () => {
    // Prepare
    emulator.setDiscovererQuota(2);
    await busWithDiscoverer('orders');
    await busWithDiscoverer('payments');
    await events.send(new CreateEventBusCommand({ Name: 'runners' }));

    // Act
    const error = await rejectionOf(schemas.send(new CreateDiscovererCommand({ SourceArn: busArn('runners') })));

    // Assess
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
    expect(error.message).toBe(discovererQuotaMessage(2, 'us-east-1'));
    expect(emulator.discoverers().map((discoverer) => discoverer.id)).toEqual([
      'events-event-bus-orders',
      'events-event-bus-payments',
    ]);
  });

  it('counts the discoverers of the caller’s region only', async () => {
    // Prepare
    emulator.setDiscovererQuota(1);
    const westEvents = eventBridgeClient(emulator, { region: 'eu-west-1' });
    const westSchemas = schemasClient(emulator, { region: 'eu-west-1' });
    await westEvents.send(new CreateEventBusCommand({ Name: 'orders' }));
    await westSchemas.send(new CreateDiscovererCommand({ SourceArn: busArn('orders', 'eu-west-1') }));
    westEvents.destroy();
    westSchemas.destroy();

    // Act
    const id = await busWithDiscoverer('orders');

    // Assess
    expect(id).toBe('events-event-bus-orders');
  });

  it('has room again once a discoverer is deleted', async () => {
    // Prepare
    emulator.setDiscovererQuota(1);
    const first = await busWithDiscoverer('orders');
    await schemas.send(new DeleteDiscovererCommand({ DiscovererId: first }));

    // Act
    const id = await busWithDiscoverer('payments');

    // Assess
    expect(id).toBe('events-event-bus-payments');
  });

  it('answers a bus that has a discoverer already with ConflictException, quota or not', async () => {
    // Prepare
    emulator.setDiscovererQuota(1);
    await busWithDiscoverer('orders');

    // Act
    const error = await rejectionOf(schemas.send(new CreateDiscovererCommand({ SourceArn: busArn('orders') })));

    // Assess
    expect(error).toBeInstanceOf(ConflictException);
  });

  it('refuses a quota that is not a whole number >= 0', () => {
    // Act
    const attempt = () => emulator.setDiscovererQuota(-1);

    // Assess
    expect(attempt).toThrow(RangeError);
  });
});

describe('a missing discoverer', () => {
  const id = 'events-event-bus-none';
  it.each<[string, () => Promise<unknown>]>([
    ['DescribeDiscoverer', () => schemas.send(new DescribeDiscovererCommand({ DiscovererId: id }))],
    ['UpdateDiscoverer', () => schemas.send(new UpdateDiscovererCommand({ DiscovererId: id }))],
    ['DeleteDiscoverer', () => schemas.send(new DeleteDiscovererCommand({ DiscovererId: id }))],
    ['StartDiscoverer', () => schemas.send(new StartDiscovererCommand({ DiscovererId: id }))],
    ['StopDiscoverer', () => schemas.send(new StopDiscovererCommand({ DiscovererId: id }))],
  ])('makes %s raise NotFoundException (404)', async (_operation, send) => {
    // Act
    const error = await rejectionOf(send());

    // Assess
    expect(error).toBeInstanceOf(NotFoundException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 404 });
  });
});

describe('StartDiscoverer and StopDiscoverer', () => {
  it('StopDiscoverer sets the state to STOPPED', async () => {
    // Prepare
    const id = await busWithDiscoverer('orders');

    // Act
    const output = await schemas.send(new StopDiscovererCommand({ DiscovererId: id }));

    // Assess
    expect(output.State).toBe('STOPPED');
    expect(emulator.discoverers()[0]?.state).toBe('STOPPED');
  });

  it('StartDiscoverer sets the state back to STARTED', async () => {
    // Prepare
    const id = await busWithDiscoverer('orders');
    await schemas.send(new StopDiscovererCommand({ DiscovererId: id }));

    // Act
    await schemas.send(new StartDiscovererCommand({ DiscovererId: id }));

    // Assess
    const output = await schemas.send(new DescribeDiscovererCommand({ DiscovererId: id }));
    expect(output.State).toBe('STARTED');
  });
});

describe('UpdateDiscoverer', () => {
  it('changes the members given and keeps the others', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    const created = await schemas.send(new CreateDiscovererCommand({ SourceArn: busArn('orders'), Description: 'd' }));

    // Act
    await schemas.send(new UpdateDiscovererCommand({ DiscovererId: created.DiscovererId, CrossAccount: false }));

    // Assess
    const output = await schemas.send(new DescribeDiscovererCommand({ DiscovererId: created.DiscovererId }));
    expect(output).toMatchObject({ Description: 'd', CrossAccount: false });
  });
});

describe('ListDiscoverers', () => {
  it('filters by DiscovererIdPrefix', async () => {
    // Prepare
    await busWithDiscoverer('orders');
    await busWithDiscoverer('payments');

    // Act
    const output = await schemas.send(new ListDiscoverersCommand({ DiscovererIdPrefix: 'events-event-bus-pay' }));

    // Assess
    expect(output.Discoverers?.map((discoverer) => discoverer.DiscovererId)).toEqual(['events-event-bus-payments']);
  });

  it('filters by SourceArnPrefix', async () => {
    // Prepare
    await busWithDiscoverer('orders');
    await busWithDiscoverer('payments');

    // Act
    const output = await schemas.send(new ListDiscoverersCommand({ SourceArnPrefix: busArn('ord') }));

    // Assess
    expect(output.Discoverers?.map((discoverer) => discoverer.SourceArn)).toEqual([busArn('orders')]);
  });

  it('returns the tags of each discoverer in its summary', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    await schemas.send(new CreateDiscovererCommand({ SourceArn: busArn('orders'), Tags: { team: 'a' } }));

    // Act
    const output = await schemas.send(new ListDiscoverersCommand({}));

    // Assess
    expect(output.Discoverers?.[0]?.Tags).toEqual({ team: 'a' });
  });

  it('pages with Limit and NextToken', async () => {
    // Prepare
    await busWithDiscoverer('a');
    await busWithDiscoverer('b');

    // Act
    const first = await schemas.send(new ListDiscoverersCommand({ Limit: 1 }));
    const second = await schemas.send(new ListDiscoverersCommand({ Limit: 1, NextToken: first.NextToken }));

    // Assess
    expect([...(first.Discoverers ?? []), ...(second.Discoverers ?? [])].map((d) => d.DiscovererId)).toEqual([
      'events-event-bus-a',
      'events-event-bus-b',
    ]);
    expect(second.NextToken).toBeUndefined();
  });
});

describe('deleting a bus that had a discoverer', () => {
  it('is refused while the managed rule is on the bus', async () => {
    // Prepare
    await busWithDiscoverer('orders');

    // Act
    const error = await rejectionOf(events.send(new DeleteEventBusCommand({ Name: 'orders' })));

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(BUS_HAS_RULES_MESSAGE);
  });

  it('is still refused right after DeleteDiscoverer while the rule lingers', async () => {
    // Prepare
    emulator.setRuleLinger(200);
    const id = await busWithDiscoverer('orders');
    await schemas.send(new DeleteDiscovererCommand({ DiscovererId: id }));

    // Act
    const error = await rejectionOf(events.send(new DeleteEventBusCommand({ Name: 'orders' })));

    // Assess
    expect(error.message).toBe("EventBus can't be deleted since it has rules.");
    expect(emulator.discoverers()).toEqual([]);
  });

  it('succeeds once the linger has passed', async () => {
    // Prepare
    emulator.setRuleLinger(100);
    const id = await busWithDiscoverer('orders');
    await schemas.send(new DeleteDiscovererCommand({ DiscovererId: id }));
    await new Promise((resolve) => setTimeout(resolve, 150));

    // Act
    await events.send(new DeleteEventBusCommand({ Name: 'orders' }));

    // Assess
    expect(emulator.buses()).toEqual([]);
  });

  it('succeeds at once after DeleteDiscoverer when there is no linger', async () => {
    // Prepare
    const id = await busWithDiscoverer('orders');
    await schemas.send(new DeleteDiscovererCommand({ DiscovererId: id }));

    // Act
    await events.send(new DeleteEventBusCommand({ Name: 'orders' }));

    // Assess
    expect(emulator.buses()).toEqual([]);
  });
});
