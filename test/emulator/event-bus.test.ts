import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DescribeEventBusCommand,
  type EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  PutEventsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  UpdateEventBusCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateDiscovererCommand, type SchemasClient } from '@aws-sdk/client-schemas';
import type { Emulator } from '../../scripts/emulator';
import { busArn, rejectionOf, useEmulator } from './clients';

let emulator: Emulator;
let events: EventBridgeClient;
let schemas: SchemasClient;
useEmulator((started) => {
  ({ emulator, events, schemas } = started);
});

describe('CreateEventBus', () => {
  it('returns the ARN and stores the bus', async () => {
    // Prepare
    const input = { Name: 'orders', Description: 'Order events', Tags: [{ Key: 'team', Value: 'a' }] };

    // Act
    const output = await events.send(new CreateEventBusCommand(input));

    // Assess
    expect(output.EventBusArn).toBe(busArn('orders'));
    expect(emulator.buses()).toEqual([
      expect.objectContaining({ name: 'orders', description: 'Order events', tags: { team: 'a' } }),
    ]);
  });

  it('rejects a name that already exists with ResourceAlreadyExistsException', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));

    // Act
    const error = await rejectionOf(events.send(new CreateEventBusCommand({ Name: 'orders' })));

    // Assess
    expect(error).toBeInstanceOf(ResourceAlreadyExistsException);
  });

  it.each(['default', 'partner/bus'])('rejects the name %s with ValidationException', async (name) => {
    // Act
    const error = await rejectionOf(events.send(new CreateEventBusCommand({ Name: name })));

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
  });
});

describe('ListEventBuses', () => {
  it('lists the region’s buses by name, its default bus among them', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders', Description: 'Order events' }));
    await events.send(new CreateEventBusCommand({ Name: 'audit' }));

    // Act
    const output = await events.send(new ListEventBusesCommand({}));

    // Assess
    expect(output.EventBuses?.map((bus) => [bus.Name, bus.Arn])).toEqual([
      ['audit', busArn('audit')],
      ['default', busArn('default')],
      ['orders', busArn('orders')],
    ]);
    expect(output.EventBuses?.[2]).toMatchObject({ Description: 'Order events', CreationTime: expect.any(Date) });
    expect(output.NextToken).toBeUndefined();
  });

  it('takes a NamePrefix and pages by Limit', async () => {
    // Prepare
    for (const name of ['runners-a', 'runners-b', 'runners-c', 'other']) {
      await events.send(new CreateEventBusCommand({ Name: name }));
    }

    // Act
    const first = await events.send(new ListEventBusesCommand({ NamePrefix: 'runners-', Limit: 2 }));
    const second = await events.send(
      new ListEventBusesCommand({ NamePrefix: 'runners-', Limit: 2, NextToken: first.NextToken }),
    );

    // Assess
    expect(first.EventBuses?.map((bus) => bus.Name)).toEqual(['runners-a', 'runners-b']);
    expect(second.EventBuses?.map((bus) => bus.Name)).toEqual(['runners-c']);
    expect(second.NextToken).toBeUndefined();
  });
});

describe('DescribeEventBus', () => {
  it('returns what CreateEventBus stored, with creation and modification times', async () => {
    // Prepare
    await events.send(
      new CreateEventBusCommand({
        Name: 'orders',
        Description: 'Order events',
        KmsKeyIdentifier: 'alias/orders',
        DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:123456789012:dlq' },
      }),
    );

    // Act
    const output = await events.send(new DescribeEventBusCommand({ Name: 'orders' }));

    // Assess
    expect(output).toMatchObject({
      Name: 'orders',
      Arn: busArn('orders'),
      Description: 'Order events',
      KmsKeyIdentifier: 'alias/orders',
      DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:123456789012:dlq' },
    });
    expect(output.CreationTime).toBeInstanceOf(Date);
    expect(output.LastModifiedTime).toBeInstanceOf(Date);
    expect(output.Policy).toBeUndefined();
  });

  it('returns the LogConfig CreateEventBus and UpdateEventBus were given', async () => {
    // Prepare
    const created = await events.send(
      new CreateEventBusCommand({ Name: 'orders', LogConfig: { IncludeDetail: 'FULL', Level: 'INFO' } }),
    );
    const afterCreate = await events.send(new DescribeEventBusCommand({ Name: 'orders' }));

    // Act
    const updated = await events.send(
      new UpdateEventBusCommand({ Name: 'orders', LogConfig: { IncludeDetail: 'NONE', Level: 'ERROR' } }),
    );
    const afterUpdate = await events.send(new DescribeEventBusCommand({ Name: 'orders' }));

    // Assess
    expect(created.LogConfig).toEqual({ IncludeDetail: 'FULL', Level: 'INFO' });
    expect(afterCreate.LogConfig).toEqual({ IncludeDetail: 'FULL', Level: 'INFO' });
    expect(updated.LogConfig).toEqual({ IncludeDetail: 'NONE', Level: 'ERROR' });
    expect(afterUpdate.LogConfig).toEqual({ IncludeDetail: 'NONE', Level: 'ERROR' });
    expect(emulator.buses()[0]?.logConfig).toEqual({ IncludeDetail: 'NONE', Level: 'ERROR' });
  });

  it('returns no LogConfig for a bus created without one', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));

    // Act
    const output = await events.send(new DescribeEventBusCommand({ Name: 'orders' }));

    // Assess
    expect(output.LogConfig).toBeUndefined();
  });

  it('accepts the bus ARN as the name', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));

    // Act
    const output = await events.send(new DescribeEventBusCommand({ Name: busArn('orders') }));

    // Assess
    expect(output.Name).toBe('orders');
  });

  it('raises ResourceNotFoundException for a missing bus', async () => {
    // Act
    const error = await rejectionOf(events.send(new DescribeEventBusCommand({ Name: 'missing' })));

    // Assess
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('UpdateEventBus', () => {
  it('raises ResourceNotFoundException for a missing bus', async () => {
    // Act
    const error = await rejectionOf(events.send(new UpdateEventBusCommand({ Name: 'missing', Description: 'x' })));

    // Assess
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });

  it('replaces the configuration: members left out are cleared', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders', Description: 'old', KmsKeyIdentifier: 'alias/k' }));

    // Act
    await events.send(new UpdateEventBusCommand({ Name: 'orders', Description: 'new' }));

    // Assess
    const output = await events.send(new DescribeEventBusCommand({ Name: 'orders' }));
    expect(output.Description).toBe('new');
    expect(output.KmsKeyIdentifier).toBeUndefined();
  });

  it('refuses a customer managed key on a bus that has a discoverer', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    await schemas.send(new CreateDiscovererCommand({ SourceArn: busArn('orders') }));

    // Act
    const error = await rejectionOf(
      events.send(new UpdateEventBusCommand({ Name: 'orders', KmsKeyIdentifier: 'alias/k' })),
    );

    // Assess
    expect(error.name).toBe('ValidationException');
  });
});

describe('DeleteEventBus', () => {
  it('removes the bus', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));

    // Act
    await events.send(new DeleteEventBusCommand({ Name: 'orders' }));

    // Assess
    expect(emulator.buses()).toEqual([]);
  });

  it('succeeds for a bus that does not exist, as the real API does', async () => {
    // Act
    const output = await events.send(new DeleteEventBusCommand({ Name: 'missing' }));

    // Assess
    expect(output.$metadata.httpStatusCode).toBe(200);
  });
});

describe('ListRules', () => {
  it('raises ResourceNotFoundException for a missing bus', async () => {
    // Act
    const error = await rejectionOf(events.send(new ListRulesCommand({ EventBusName: 'missing' })));

    // Assess
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });

  it('returns no rules for a new bus', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));

    // Act
    const output = await events.send(new ListRulesCommand({ EventBusName: 'orders' }));

    // Assess
    expect(output.Rules).toEqual([]);
  });

  it('filters by NamePrefix', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    await schemas.send(new CreateDiscovererCommand({ SourceArn: busArn('orders') }));

    // Act
    const matching = await events.send(new ListRulesCommand({ EventBusName: 'orders', NamePrefix: 'Schemas-' }));
    const other = await events.send(new ListRulesCommand({ EventBusName: 'orders', NamePrefix: 'Other' }));

    // Assess
    expect(matching.Rules?.map((rule) => rule.Name)).toEqual(['Schemas-events-event-bus-orders']);
    expect(other.Rules).toEqual([]);
  });
});

describe('PutEvents', () => {
  it('stores the entries and answers an EventId for each', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    const entry = { Source: 'shop', DetailType: 'OrderPlaced', Detail: '{"id":1}', EventBusName: 'orders' };

    // Act
    const output = await events.send(new PutEventsCommand({ Entries: [entry] }));

    // Assess
    expect(output.FailedEntryCount).toBe(0);
    expect(output.Entries?.[0]?.EventId).toEqual(expect.any(String));
    expect(emulator.events).toEqual([expect.objectContaining({ ...entry, EventId: output.Entries?.[0]?.EventId })]);
  });

  it('fails an entry whose Detail is not a JSON object, and stores only the others', async () => {
    // Prepare
    const good = { Source: 'shop', DetailType: 'OrderPlaced', Detail: '{}' };
    const bad = { Source: 'shop', DetailType: 'OrderPlaced', Detail: 'not json' };

    // Act
    const output = await events.send(new PutEventsCommand({ Entries: [good, bad] }));

    // Assess
    expect(output.FailedEntryCount).toBe(1);
    expect(output.Entries?.[1]?.ErrorCode).toBe('MalformedDetail');
    expect(emulator.events).toHaveLength(1);
  });
});
