import {
  CreateEventBusCommand,
  type EventBridgeClient,
  LimitExceededException,
  ListTagsForResourceCommand,
  TagResourceCommand,
} from '@aws-sdk/client-eventbridge';
import {
  BadRequestException,
  CreateDiscovererCommand,
  type SchemasClient,
  ListTagsForResourceCommand as SchemasListTagsCommand,
  TagResourceCommand as SchemasTagCommand,
} from '@aws-sdk/client-schemas';
import { type Emulator, MAX_TAGS_PER_RESOURCE } from '../../scripts/emulator';
import { busArn, rejectionOf, useEmulator } from './clients';

let emulator: Emulator;
let events: EventBridgeClient;
let schemas: SchemasClient;
useEmulator((started) => {
  ({ emulator, events, schemas } = started);
});

const tagList = (count: number, prefix = 'k') =>
  Array.from({ length: count }, (_, index) => ({ Key: `${prefix}${index}`, Value: 'v' }));
const tagRecord = (count: number, prefix = 'k') =>
  Object.fromEntries(tagList(count, prefix).map(({ Key, Value }) => [Key, Value]));

describe('the 50-tag limit on an EventBridge bus', () => {
  it('is 50', () => {
    expect(MAX_TAGS_PER_RESOURCE).toBe(50);
  });

  it('creates a bus with 50 tags and refuses one with 51, creating nothing', async () => {
    // Act
    await events.send(new CreateEventBusCommand({ Name: 'fifty', Tags: tagList(50) }));
    const error = await rejectionOf(events.send(new CreateEventBusCommand({ Name: 'fifty-one', Tags: tagList(51) })));

    // Assess
    expect(error).toBeInstanceOf(LimitExceededException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
    expect(error.message).toMatch(/at most 50 tags.*51/);
    expect(emulator.buses().map((bus) => bus.name)).toContain('fifty');
    expect(emulator.buses().map((bus) => bus.name)).not.toContain('fifty-one');
  });

  it('refuses a TagResource that would leave 51 tags, and leaves the tags as they were', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders', Tags: tagList(49) }));

    // Act
    const error = await rejectionOf(
      events.send(new TagResourceCommand({ ResourceARN: busArn('orders'), Tags: tagList(2, 'new') })),
    );

    // Assess
    expect(error).toBeInstanceOf(LimitExceededException);
    const { Tags } = await events.send(new ListTagsForResourceCommand({ ResourceARN: busArn('orders') }));
    expect(Tags).toHaveLength(49);
  });

  it('counts keys once: overwriting tags at 50 is allowed', async () => {
    // Prepare
    await events.send(new CreateEventBusCommand({ Name: 'orders', Tags: tagList(50) }));

    // Act
    await events.send(
      new TagResourceCommand({ ResourceARN: busArn('orders'), Tags: [{ Key: 'k0', Value: 'changed' }] }),
    );

    // Assess
    const { Tags } = await events.send(new ListTagsForResourceCommand({ ResourceARN: busArn('orders') }));
    expect(Tags).toHaveLength(50);
    expect(Tags).toContainEqual({ Key: 'k0', Value: 'changed' });
  });
});

describe('the 50-tag limit on a Schemas discoverer', () => {
  const sourceArn = busArn('orders');

  beforeEach(async () => {
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
  });

  it('refuses CreateDiscoverer with 51 tags with BadRequestException, creating nothing', async () => {
    // Act
    const error = await rejectionOf(
      schemas.send(new CreateDiscovererCommand({ SourceArn: sourceArn, Tags: tagRecord(51) })),
    );

    // Assess
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
    expect(emulator.discoverers()).toEqual([]);
  });

  it('refuses a TagResource that would leave 51 tags, and leaves the tags as they were', async () => {
    // Prepare
    const { DiscovererArn } = await schemas.send(
      new CreateDiscovererCommand({ SourceArn: sourceArn, Tags: tagRecord(50) }),
    );

    // Act
    const error = await rejectionOf(
      schemas.send(new SchemasTagCommand({ ResourceArn: DiscovererArn, Tags: { extra: 'v' } })),
    );

    // Assess
    expect(error).toBeInstanceOf(BadRequestException);
    const { Tags } = await schemas.send(new SchemasListTagsCommand({ ResourceArn: DiscovererArn }));
    expect(Object.keys(Tags ?? {})).toHaveLength(50);
    expect(Tags).not.toHaveProperty('extra');
  });
});
