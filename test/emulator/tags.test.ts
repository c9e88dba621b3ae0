import {
  CreateEventBusCommand,
  type EventBridgeClient,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ManagedRuleException,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateDiscovererCommand,
  NotFoundException,
  type SchemasClient,
  ListTagsForResourceCommand as SchemasListTagsCommand,
  TagResourceCommand as SchemasTagCommand,
  UntagResourceCommand as SchemasUntagCommand,
} from '@aws-sdk/client-schemas';
import type { Emulator } from '../../scripts/emulator';
import { busArn, rejectionOf, useEmulator } from './clients';

let emulator: Emulator;
let events: EventBridgeClient;
let schemas: SchemasClient;
useEmulator((started) => {
  ({ emulator, events, schemas } = started);
});

describe('EventBridge tags on a bus', () => {
  it('lists the tags given at creation', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders', Tags: [{ Key: 'team', Value: 'a' }] }));

    // Act
    const output = await events.send(new ListTagsForResourceCommand({ ResourceARN: busArn('orders') }));

    // Assess
    expect(output.Tags).toEqual([{ Key: 'team', Value: 'a' }]);
  });

  it('TagResource adds and overwrites tags', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders', Tags: [{ Key: 'team', Value: 'a' }] }));

    // Act
    await events.send(
      new TagResourceCommand({
        ResourceARN: busArn('orders'),
        Tags: [
          { Key: 'team', Value: 'b' },
          { Key: 'env', Value: 'dev' },
        ],
      }),
    );

    // Assess
    expect(emulator.buses()[0]?.tags).toEqual({ team: 'b', env: 'dev' });
  });

  it('UntagResource removes the keys given', async () => {
    // Prepare
    const tags = [
      { Key: 'team', Value: 'a' },
      { Key: 'env', Value: 'dev' },
    ];
    await events.send(new CreateEventBusCommand({ Name: 'orders', Tags: tags }));

    // Act
    await events.send(new UntagResourceCommand({ ResourceARN: busArn('orders'), TagKeys: ['team'] }));

    // Assess
    const output = await events.send(new ListTagsForResourceCommand({ ResourceARN: busArn('orders') }));
    expect(output.Tags).toEqual([{ Key: 'env', Value: 'dev' }]);
  });

  it('raises ResourceNotFoundException for an unknown ARN', async () => {
    // Act
    const error = await rejectionOf(events.send(new ListTagsForResourceCommand({ ResourceARN: busArn('missing') })));

    // Assess
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuses to tag the rule a discoverer manages with ManagedRuleException', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    await schemas.send(new CreateDiscovererCommand({ SourceArn: busArn('orders') }));
    const { Rules } = await events.send(new ListRulesCommand({ EventBusName: 'orders' }));

    // Act
    const error = await rejectionOf(
      events.send(new TagResourceCommand({ ResourceARN: Rules?.[0]?.Arn, Tags: [{ Key: 'k', Value: 'v' }] })),
    );

    // Assess
    expect(error).toBeInstanceOf(ManagedRuleException);
  });
});

describe('Schemas tags on a discoverer', () => {
  async function discovererArn(): Promise<string> {
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    const output = await schemas.send(
      new CreateDiscovererCommand({ SourceArn: busArn('orders'), Tags: { team: 'a' } }),
    );
    return output.DiscovererArn as string;
  }

  it('lists the tags given at creation as a map', async () => {
    // Prepare
    const arn = await discovererArn();

    // Act
    const output = await schemas.send(new SchemasListTagsCommand({ ResourceArn: arn }));

    // Assess
    expect(output.Tags).toEqual({ team: 'a' });
  });

  it('TagResource adds and overwrites tags', async () => {
    // Prepare
    const arn = await discovererArn();

    // Act
    await schemas.send(new SchemasTagCommand({ ResourceArn: arn, Tags: { team: 'b', env: 'dev' } }));

    // Assess
    expect(emulator.discoverers()[0]?.tags).toEqual({ team: 'b', env: 'dev' });
  });

  it('UntagResource removes the keys given', async () => {
    // Prepare
    const arn = await discovererArn();
    await schemas.send(new SchemasTagCommand({ ResourceArn: arn, Tags: { env: 'dev', tier: '1' } }));

    // Act
    await schemas.send(new SchemasUntagCommand({ ResourceArn: arn, TagKeys: ['team', 'tier'] }));

    // Assess
    const output = await schemas.send(new SchemasListTagsCommand({ ResourceArn: arn }));
    expect(output.Tags).toEqual({ env: 'dev' });
  });

  it('raises NotFoundException for an unknown ARN', async () => {
    // Prepare
    const arn = 'arn:aws:schemas:us-east-1:123456789012:discoverer/events-event-bus-missing';

    // Act
    const error = await rejectionOf(schemas.send(new SchemasListTagsCommand({ ResourceArn: arn })));

    // Assess
    expect(error).toBeInstanceOf(NotFoundException);
  });
});
