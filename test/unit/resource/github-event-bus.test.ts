import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DescribeEventBusCommand,
  EventBridgeClient,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateEventBusCommand,
} from '@aws-sdk/client-eventbridge';
import {
  ConflictException,
  CreateDiscovererCommand,
  DeleteDiscovererCommand,
  DescribeDiscovererCommand,
  type DescribeDiscovererCommandOutput,
  ListDiscoverersCommand,
  NotFoundException,
  SchemasClient,
  TagResourceCommand as SchemasTagResourceCommand,
  UntagResourceCommand as SchemasUntagResourceCommand,
  StartDiscovererCommand,
  StopDiscovererCommand,
  UpdateDiscovererCommand,
} from '@aws-sdk/client-schemas';
import { mockClient } from 'aws-sdk-client-mock';
import { BusHasRulesError, ForeignResourceError } from '../../../handler/resource/errors';
import {
  createGithubEventBus,
  deleteGithubEventBus,
  isGeneratedId,
  updateGithubEventBus,
} from '../../../handler/resource/github-event-bus';
import { parseProperties } from '../../../handler/resource/properties';
import { type CapturedLogs, captureLogs } from '../../fixtures/capture-logs';
import {
  BUS_ARN,
  callNamesOf,
  DISCOVERER_ARN,
  DISCOVERER_ID,
  MARKER,
  NAME,
  OWNER_TAGS,
  resourceContext,
  STACK_ID,
  tagList,
} from '../../fixtures/resource';

const events = mockClient(EventBridgeClient);
const schemas = mockClient(SchemasClient);

const OWNED_DISCOVERER_TAGS = { ...OWNER_TAGS, 'github-event-bus:bus-owned': 'true' };
// What adoption puts on a discoverer made by hand: ownership, and that it came with an adopted bus.
const ADOPTION_TAGS = { ...OWNER_TAGS, 'github-event-bus:bus-owned': 'false', 'github-event-bus:adopted': 'true' };
// What this invocation's create calls add: its mark.
const MARK = { 'github-event-bus:created-by': MARKER };

const context = resourceContext;

const props = (extra: Record<string, unknown> = {}) => parseProperties({ EventBusName: NAME, ...extra });

// Another stack, whose Custom::GithubEventBus may have made or adopted what a request meets.
const otherStack = STACK_ID.replace('stack/app/', 'stack/other/');

const notFound = () => new ResourceNotFoundException({ message: 'gone', $metadata: {} });
const discovererNotFound = () =>
  new NotFoundException({ message: 'gone', Code: 'NotFoundException', Message: 'gone', $metadata: {} });
// As the SDK reports a refusal: a 4xx answer to the one attempt made.
const accessDenied = () =>
  Object.assign(new Error('denied'), {
    name: 'AccessDeniedException',
    $metadata: { httpStatusCode: 400, attempts: 1 },
  });
const conflict = (attempts: number) =>
  new ConflictException({ message: 'exists', Code: 'ConflictException', Message: 'exists', $metadata: { attempts } });
const hasRules = () =>
  Object.assign(new Error("EventBus can't be deleted since it has rules."), { name: 'ValidationException' });

const describedDiscoverer = (
  overrides: Partial<DescribeDiscovererCommandOutput> = {},
): DescribeDiscovererCommandOutput => ({
  DiscovererId: DISCOVERER_ID,
  DiscovererArn: DISCOVERER_ARN,
  SourceArn: BUS_ARN,
  State: 'STARTED' as const,
  Description: `Schema discoverer for events on ${NAME} event bus`,
  CrossAccount: true,
  Tags: OWNED_DISCOVERER_TAGS,
  ...overrides,
  $metadata: {},
});

const callNames = (): string[] => callNamesOf(events, schemas);

/** Asserts that an INFO line with this message and (at least) these fields was logged. */
const expectInfo = (logs: CapturedLogs, message: string, fields: Record<string, unknown>): void =>
  expect(logs.atLevel('INFO')).toContainEqual(expect.objectContaining({ message, ...fields }));

beforeEach(() => {
  events.reset();
  schemas.reset();
});

describe('create', () => {
  beforeEach(() => {
    events.on(CreateEventBusCommand).resolves({ EventBusArn: BUS_ARN });
    schemas.on(CreateDiscovererCommand).resolves(describedDiscoverer());
  });

  it('creates the bus, then the discoverer on the ARN the bus call returned, in two calls', async () => {
    // Act
    const outcome = await createGithubEventBus(props(), context());
    // Assess
    expect(callNames().sort()).toEqual(['CreateDiscoverer', 'CreateEventBus']);
    expect(schemas).toHaveReceivedCommandWith(CreateDiscovererCommand, { SourceArn: BUS_ARN, CrossAccount: true });
    expect(outcome).toEqual({
      id: NAME,
      attributes: {
        EventBusName: NAME,
        EventBusArn: BUS_ARN,
        DiscovererId: DISCOVERER_ID,
        DiscovererArn: DISCOVERER_ARN,
        DiscovererState: 'STARTED',
        CrossAccount: 'true',
        SchemaRegistryName: 'discovered-schemas',
      },
    });
  });

  it('puts the user tags, the ownership tags and the invocation’s mark on in the create calls', async () => {
    // Act
    await createGithubEventBus(props({ Tags: [{ Key: 'team', Value: 'ci' }] }), context());
    // Assess
    expect(events).toHaveReceivedCommandWith(CreateEventBusCommand, {
      Name: NAME,
      Tags: [
        { Key: 'team', Value: 'ci' },
        { Key: 'github-event-bus:stack-id', Value: STACK_ID },
        { Key: 'github-event-bus:logical-id', Value: 'Bus' },
        { Key: 'github-event-bus:created-by', Value: MARKER },
      ],
    });
    expect(schemas).toHaveReceivedCommandWith(CreateDiscovererCommand, {
      Tags: { team: 'ci', ...OWNED_DISCOVERER_TAGS, ...MARK },
    });
  });

  it('stops discovery when DiscovererState is STOPPED', async () => {
    // Prepare
    schemas.on(StopDiscovererCommand).resolves({ DiscovererId: DISCOVERER_ID, State: 'STOPPED' });
    // Act
    const outcome = await createGithubEventBus(props({ DiscovererState: 'STOPPED' }), context());
    // Assess
    expect(schemas).toHaveReceivedCommandWith(StopDiscovererCommand, { DiscovererId: DISCOVERER_ID });
    expect(outcome.attributes.DiscovererState).toBe('STOPPED');
  });

  it('converges on a repeated Create whose bus and discoverer it already made', async () => {
    // Prepare
    events.on(CreateEventBusCommand).rejects(new ResourceAlreadyExistsException({ message: 'exists', $metadata: {} }));
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events
      .on(ListTagsForResourceCommand)
      .resolves({ Tags: Object.entries(OWNER_TAGS).map(([Key, Value]) => ({ Key, Value })) });
    schemas
      .on(CreateDiscovererCommand)
      .rejects(
        new ConflictException({ message: 'exists', Code: 'ConflictException', Message: 'exists', $metadata: {} }),
      );
    schemas.on(DescribeDiscovererCommand).resolves(describedDiscoverer());
    // Act
    const outcome = await createGithubEventBus(props(), context());
    // Assess
    expect(outcome.id).toBe(NAME);
    expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
    expect(schemas).not.toHaveReceivedCommand(DeleteDiscovererCommand);
  });

  it('refuses a bus it did not create, saying how to adopt it, and deletes nothing', async () => {
    // Prepare
    events.on(CreateEventBusCommand).rejects(new ResourceAlreadyExistsException({ message: 'exists', $metadata: {} }));
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events.on(ListTagsForResourceCommand).resolves({ Tags: [{ Key: 'owner', Value: 'someone-else' }] });
    // Act
    const attempt = createGithubEventBus(props(), context());
    // Assess
    await expect(attempt).rejects.toThrow(ForeignResourceError);
    await expect(attempt).rejects.toThrow(/AdoptExisting/);
    expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
    expect(schemas).not.toHaveReceivedCommand(CreateDiscovererCommand);
  });

  it('adopts a foreign bus when AdoptExisting is true, leaving its settings and tags alone', async () => {
    // Prepare
    events.on(CreateEventBusCommand).rejects(new ResourceAlreadyExistsException({ message: 'exists', $metadata: {} }));
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN, Description: 'theirs' });
    events.on(ListTagsForResourceCommand).resolves({ Tags: [] });
    // Act
    await createGithubEventBus(props({ AdoptExisting: 'true', Description: 'ours' }), context());
    // Assess
    expect(schemas).toHaveReceivedCommandWith(CreateDiscovererCommand, {
      SourceArn: BUS_ARN,
      Tags: { ...OWNER_TAGS, 'github-event-bus:bus-owned': 'false', ...MARK },
    });
    expect(events).not.toHaveReceivedCommand(UpdateEventBusCommand);
    expect(events).not.toHaveReceivedCommand(TagResourceCommand);
  });

  // A Create that meets a bus made by hand with a discoverer already on it.
  const handMadeBusWithDiscoverer = () => {
    events.on(CreateEventBusCommand).rejects(new ResourceAlreadyExistsException({ message: 'exists', $metadata: {} }));
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events.on(ListTagsForResourceCommand).resolves({ Tags: [] });
    schemas.on(CreateDiscovererCommand).rejects(conflict(1));
  };

  it('gives up an adoption another stack tagged over at the same moment, handing nothing back', async () => {
    // Prepare: a hand-made discoverer, read untagged; by the time it is read again, another stack's tags are on it
    handMadeBusWithDiscoverer();
    schemas
      .on(DescribeDiscovererCommand)
      .resolvesOnce(describedDiscoverer({ Tags: { team: 'platform' } }))
      .resolves(describedDiscoverer({ Tags: { ...OWNER_TAGS, 'github-event-bus:stack-id': otherStack } }));
    // Act
    const attempt = createGithubEventBus(props({ AdoptExisting: 'true' }), context());
    // Assess
    await expect(attempt).rejects.toThrow('was adopted by another Custom::GithubEventBus at the same moment');
    expect(schemas).toHaveReceivedCommandTimes(SchemasTagResourceCommand, 1);
    expect(schemas).not.toHaveReceivedCommand(SchemasUntagResourceCommand);
  });

  it('never adopts a discoverer another stack’s resource manages, even with AdoptExisting', async () => {
    // Prepare: a bus made by hand, whose discoverer another stack adopted first
    handMadeBusWithDiscoverer();
    schemas
      .on(DescribeDiscovererCommand)
      .resolves(describedDiscoverer({ Tags: { ...OWNER_TAGS, 'github-event-bus:stack-id': otherStack } }));
    // Act
    const attempt = createGithubEventBus(props({ AdoptExisting: 'true' }), context());
    // Assess
    await expect(attempt).rejects.toThrow(`which the Custom::GithubEventBus of stack ${otherStack} manages`);
    expect(schemas).not.toHaveReceivedCommand(SchemasTagResourceCommand);
  });

  it('adopts a discoverer made by hand with AdoptExisting, tagging it adopted with its bus, and logs it', async () => {
    // Prepare: read untagged; read again, it carries the tags adoption put on
    const logs = captureLogs();
    handMadeBusWithDiscoverer();
    schemas
      .on(DescribeDiscovererCommand)
      .resolvesOnce(describedDiscoverer({ Tags: { team: 'platform' } }))
      .resolves(describedDiscoverer({ Tags: { team: 'platform', ...ADOPTION_TAGS } }));
    // Act
    await createGithubEventBus(props({ AdoptExisting: 'true' }), context());
    // Assess
    expect(schemas).toHaveReceivedCommandWith(SchemasTagResourceCommand, {
      ResourceArn: DISCOVERER_ARN,
      Tags: ADOPTION_TAGS,
    });
    expectInfo(logs, 'adopting an existing discoverer; it will be handed back on delete', {
      discovererId: DISCOVERER_ID,
    });
  });

  it('hands an adopted discoverer back, its own tags kept, when a later step of the Create fails', async () => {
    // Prepare: a stopped discoverer made by hand; starting it is refused after the adoption tagged it
    const logs = captureLogs();
    handMadeBusWithDiscoverer();
    schemas
      .on(DescribeDiscovererCommand)
      .resolvesOnce(describedDiscoverer({ State: 'STOPPED', Tags: { team: 'platform' } }))
      .resolves(describedDiscoverer({ State: 'STOPPED', Tags: { team: 'platform', ...ADOPTION_TAGS } }));
    schemas.on(StartDiscovererCommand).rejects(accessDenied());
    // Act
    const attempt = createGithubEventBus(props({ AdoptExisting: 'true' }), context());
    // Assess
    await expect(attempt).rejects.toThrow('denied');
    expect(schemas).toHaveReceivedCommandWith(SchemasUntagResourceCommand, {
      ResourceArn: DISCOVERER_ARN,
      TagKeys: Object.keys(ADOPTION_TAGS),
    });
    expect(schemas).not.toHaveReceivedCommand(DeleteDiscovererCommand);
    expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
    expectInfo(logs, 'undo: adopted discoverer handed back', { discovererId: DISCOVERER_ID });
  });

  it('never adopts a bus another stack’s resource made, even with AdoptExisting, and makes no discoverer on it', async () => {
    // Prepare: two stacks racing for one name; the other one's CreateEventBus came first, with its tags
    events.on(CreateEventBusCommand).rejects(new ResourceAlreadyExistsException({ message: 'exists', $metadata: {} }));
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events.on(ListTagsForResourceCommand).resolves({
      Tags: tagList({ ...OWNER_TAGS, 'github-event-bus:stack-id': otherStack }),
    });
    // Act
    const attempt = createGithubEventBus(props({ AdoptExisting: 'true' }), context());
    // Assess
    await expect(attempt).rejects.toThrow(
      `Event bus ${NAME} is managed by the Custom::GithubEventBus of stack ${otherStack}; only a bus made by hand ` +
        'can be adopted. Choose another EventBusName (if that stack no longer exists, delete the bus first).',
    );
    expect(schemas).not.toHaveReceivedCommand(CreateDiscovererCommand);
    expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
  });

  it.each([
    ['', {}],
    [', even with AdoptExisting', { AdoptExisting: 'true' }],
  ])(
    'refuses a bus that already has a discoverer it did not create%s, and leaves the bus it just made under it',
    async (_, adopt) => {
      // Prepare
      schemas
        .on(CreateDiscovererCommand)
        .rejects(
          new ConflictException({ message: 'exists', Code: 'ConflictException', Message: 'exists', $metadata: {} }),
        );
      schemas.on(DescribeDiscovererCommand).resolves(describedDiscoverer({ Tags: { owner: 'someone-else' } }));
      // Act
      const attempt = createGithubEventBus(props(adopt), context());
      // Assess
      await expect(attempt).rejects.toThrow(/already has schema discoverer/);
      expect(schemas).not.toHaveReceivedCommand(SchemasTagResourceCommand);
      // Its rule would make DeleteEventBus refuse: the Delete CloudFormation sends next says so, naming the rule
      expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
      expect(schemas).not.toHaveReceivedCommand(DeleteDiscovererCommand);
    },
  );

  it('undoes the bus and discoverer it created when a later step fails', async () => {
    // Prepare
    schemas.on(StopDiscovererCommand).rejects(accessDenied());
    // Act
    const attempt = createGithubEventBus(props({ DiscovererState: 'STOPPED' }), context());
    // Assess
    await expect(attempt).rejects.toThrow('denied');
    expect(schemas).toHaveReceivedCommandWith(DeleteDiscovererCommand, { DiscovererId: DISCOVERER_ID });
    expect(events).toHaveReceivedCommandWith(DeleteEventBusCommand, { Name: NAME });
  });
});

describe('update', () => {
  const existing = () => {
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events.on(ListTagsForResourceCommand).resolves({ Tags: tagList(OWNER_TAGS) });
    schemas.on(DescribeDiscovererCommand).resolves(describedDiscoverer());
  };

  it('makes only the two reads when nothing changed', async () => {
    // Prepare
    existing();
    // Act
    const outcome = await updateGithubEventBus(NAME, props(), props(), context());
    // Assess
    expect(callNames().sort()).toEqual(['DescribeDiscoverer', 'DescribeEventBus']);
    expect(outcome.id).toBe(NAME);
  });

  it('stops discovery in one more call when DiscovererState changes', async () => {
    // Prepare
    existing();
    schemas.on(StopDiscovererCommand).resolves({ DiscovererId: DISCOVERER_ID, State: 'STOPPED' });
    // Act
    const outcome = await updateGithubEventBus(NAME, props({ DiscovererState: 'STOPPED' }), props(), context());
    // Assess
    expect(callNames()).toHaveLength(3);
    expect(outcome.attributes.DiscovererState).toBe('STOPPED');
  });

  it('starts a discoverer that was stopped out of band', async () => {
    // Prepare
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    schemas.on(DescribeDiscovererCommand).resolves(describedDiscoverer({ State: 'STOPPED' as const }));
    schemas.on(StartDiscovererCommand).resolves({ DiscovererId: DISCOVERER_ID, State: 'STARTED' });
    // Act
    await updateGithubEventBus(NAME, props(), props(), context());
    // Assess
    expect(schemas).toHaveReceivedCommandWith(StartDiscovererCommand, { DiscovererId: DISCOVERER_ID });
  });

  it('updates the description and dead-letter queue in one UpdateEventBus call', async () => {
    // Prepare
    existing();
    const dlq = 'arn:aws:sqs:us-east-1:123456789012:dlq';
    // Act
    await updateGithubEventBus(NAME, props({ Description: 'new', DeadLetterConfig: { Arn: dlq } }), props(), context());
    // Assess
    expect(events).toHaveReceivedCommandTimes(UpdateEventBusCommand, 1);
    expect(events).toHaveReceivedCommandWith(UpdateEventBusCommand, {
      Name: NAME,
      Description: 'new',
      DeadLetterConfig: { Arn: dlq },
    });
  });

  it('clears a description and dead-letter queue the properties no longer have', async () => {
    // Prepare
    const dlq = 'arn:aws:sqs:us-east-1:123456789012:dlq';
    existing();
    events
      .on(DescribeEventBusCommand)
      .resolves({ Name: NAME, Arn: BUS_ARN, Description: 'old', DeadLetterConfig: { Arn: dlq } });
    // Act
    await updateGithubEventBus(NAME, props(), props({ Description: 'old', DeadLetterConfig: { Arn: dlq } }), context());
    // Assess
    expect(events).toHaveReceivedCommandWith(UpdateEventBusCommand, {
      Name: NAME,
      Description: '',
      DeadLetterConfig: {},
    });
  });

  it('leaves out of UpdateEventBus what neither the bus nor the properties have', async () => {
    // Prepare
    existing();
    // Act
    await updateGithubEventBus(NAME, props({ Description: 'new' }), props(), context());
    // Assess
    const [call] = events.commandCalls(UpdateEventBusCommand);
    expect(call?.args[0].input).toEqual({ Name: NAME, Description: 'new' });
  });

  it('updates the discoverer description and cross-account setting in place', async () => {
    // Prepare
    existing();
    // Act
    await updateGithubEventBus(NAME, props({ CrossAccount: 'false', DiscovererDescription: 'd' }), props(), context());
    // Assess
    expect(schemas).toHaveReceivedCommandWith(UpdateDiscovererCommand, {
      DiscovererId: DISCOVERER_ID,
      Description: 'd',
      CrossAccount: false,
    });
  });

  it('adds, changes and removes tags on bus and discoverer', async () => {
    // Prepare
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events
      .on(ListTagsForResourceCommand)
      .resolves({ Tags: tagList({ ...OWNER_TAGS, keep: '1', change: 'a', drop: 'x' }) });
    schemas
      .on(DescribeDiscovererCommand)
      .resolves(describedDiscoverer({ Tags: { ...OWNED_DISCOVERER_TAGS, keep: '1', change: 'a', drop: 'x' } }));
    const before = props({
      Tags: [
        { Key: 'keep', Value: '1' },
        { Key: 'change', Value: 'a' },
        { Key: 'drop', Value: 'x' },
      ],
    });
    const after = props({
      Tags: [
        { Key: 'keep', Value: '1' },
        { Key: 'change', Value: 'b' },
        { Key: 'add', Value: 'y' },
      ],
    });
    // Act
    await updateGithubEventBus(NAME, after, before, context());
    // Assess
    expect(events).toHaveReceivedCommandWith(TagResourceCommand, {
      ResourceARN: BUS_ARN,
      Tags: [
        { Key: 'change', Value: 'b' },
        { Key: 'add', Value: 'y' },
      ],
    });
    expect(events).toHaveReceivedCommandWith(UntagResourceCommand, { ResourceARN: BUS_ARN, TagKeys: ['drop'] });
    expect(schemas).toHaveReceivedCommandWith(SchemasTagResourceCommand, {
      ResourceArn: DISCOVERER_ARN,
      Tags: { change: 'b', add: 'y' },
    });
    expect(schemas).toHaveReceivedCommandWith(SchemasUntagResourceCommand, { TagKeys: ['drop'] });
  });

  it('treats a new EventBusName as a replacement and leaves the old bus alone', async () => {
    // Prepare
    const renamed = 'renamed-bus';
    events.on(CreateEventBusCommand).resolves({ EventBusArn: BUS_ARN.replace(NAME, renamed) });
    schemas.on(CreateDiscovererCommand).resolves(describedDiscoverer({ DiscovererId: `events-event-bus-${renamed}` }));
    // Act
    const outcome = await updateGithubEventBus(NAME, props({ EventBusName: renamed }), props(), context());
    // Assess
    expect(outcome.id).toBe(renamed);
    expect(events).toHaveReceivedCommandWith(CreateEventBusCommand, { Name: renamed });
    expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
    expect(schemas).not.toHaveReceivedCommand(DeleteDiscovererCommand);
  });

  it('recreates bus and discoverer deleted out of band', async () => {
    // Prepare
    events.on(DescribeEventBusCommand).rejects(notFound());
    schemas.on(DescribeDiscovererCommand).rejects(discovererNotFound());
    events.on(CreateEventBusCommand).resolves({ EventBusArn: BUS_ARN });
    schemas.on(CreateDiscovererCommand).resolves(describedDiscoverer());
    // Act
    const outcome = await updateGithubEventBus(NAME, props(), props(), context());
    // Assess
    expect(outcome.attributes.EventBusArn).toBe(BUS_ARN);
    expect(events).toHaveReceivedCommand(CreateEventBusCommand);
    expect(schemas).toHaveReceivedCommandWith(CreateDiscovererCommand, { SourceArn: BUS_ARN });
  });

  it('recreates a discoverer deleted out of band on a bus it owns', async () => {
    // Prepare
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events
      .on(ListTagsForResourceCommand)
      .resolves({ Tags: Object.entries(OWNER_TAGS).map(([Key, Value]) => ({ Key, Value })) });
    schemas.on(DescribeDiscovererCommand).rejects(discovererNotFound());
    schemas.on(ListDiscoverersCommand).resolves({ Discoverers: [] });
    schemas.on(CreateDiscovererCommand).resolves(describedDiscoverer());
    // Act
    await updateGithubEventBus(NAME, props(), props(), context());
    // Assess
    expect(schemas).toHaveReceivedCommandWith(CreateDiscovererCommand, {
      SourceArn: BUS_ARN,
      Tags: { ...OWNED_DISCOVERER_TAGS, ...MARK },
    });
  });

  it('undoes only what a failed replacement created, never the bus it replaces', async () => {
    // Prepare
    const renamed = 'renamed-bus';
    events.on(CreateEventBusCommand).resolves({ EventBusArn: BUS_ARN.replace(NAME, renamed) });
    schemas.on(CreateDiscovererCommand).rejects(accessDenied());
    // Act
    const attempt = updateGithubEventBus(NAME, props({ EventBusName: renamed }), props(), context());
    // Assess
    await expect(attempt).rejects.toThrow('denied');
    expect(events).toHaveReceivedCommandTimes(DeleteEventBusCommand, 1);
    expect(events).toHaveReceivedCommandWith(DeleteEventBusCommand, { Name: renamed });
  });
});

describe('delete', () => {
  const ownedBus = () => {
    events.on(ListTagsForResourceCommand).resolves({ Tags: tagList(OWNER_TAGS) });
    schemas.on(DescribeDiscovererCommand).resolves(describedDiscoverer());
  };

  describe('with an id CloudFormation made up', () => {
    const generated = 'app-Bus-1XK2ZQ7PLM3NB';

    it.each([
      ['the stack and logical id in full', 'app-Bus-1XK2ZQ7PLM3NB'],
      ['a 12-character suffix', 'app-Bus-1XK2ZQ7PLM3N'],
      ['both names cut short', 'ap-B-1XK2ZQ7PLM3NB'],
    ])('recognises %s', (_, id) => {
      // Act & Assess
      expect(isGeneratedId(id, context().owner)).toBe(true);
    });

    it.each([
      ['a bus name', NAME],
      ['another stack’s', 'other-Bus-1XK2ZQ7PLM3NB'],
      ['another logical id’s', 'app-Queue-1XK2ZQ7PLM3NB'],
      ['a lower-case suffix', 'app-Bus-1xk2zq7plm3nb'],
      ['a short suffix', 'app-Bus-1XK2ZQ7'],
      ['a long suffix', 'app-Bus-1XK2ZQ7PLM3NBQ'],
    ])('does not take %s for one', (_, id) => {
      // Act & Assess
      expect(isGeneratedId(id, context().owner)).toBe(false);
    });

    it('deletes what is ours under the properties’ EventBusName', async () => {
      // Prepare: the cancelled Create's bus and discoverer; nothing under the made-up id
      events.on(ListTagsForResourceCommand).rejects(notFound());
      events.on(ListTagsForResourceCommand, { ResourceARN: BUS_ARN }).resolves({ Tags: tagList(OWNER_TAGS) });
      events.on(DescribeEventBusCommand).rejects(notFound());
      schemas.on(DescribeDiscovererCommand).rejects(discovererNotFound());
      schemas.on(DescribeDiscovererCommand, { DiscovererId: DISCOVERER_ID }).resolves(describedDiscoverer());
      const logs = captureLogs();
      // Act
      await deleteGithubEventBus(generated, context(), props());
      // Assess
      expect(schemas).toHaveReceivedCommandWith(DeleteDiscovererCommand, { DiscovererId: DISCOVERER_ID });
      expect(events).toHaveReceivedCommandWith(DeleteEventBusCommand, { Name: NAME });
      expectInfo(logs, 'physical id made up by CloudFormation; deleting what is ours under EventBusName', {
        physicalResourceId: generated,
        busName: NAME,
      });
    });

    it('deletes a bus named like a made-up id once, as the bus its id names', async () => {
      // Prepare: the user's EventBusName has the shape of an id CloudFormation makes up, and it is the id answered
      const logs = captureLogs();
      events.on(ListTagsForResourceCommand).resolves({ Tags: tagList(OWNER_TAGS) });
      schemas.on(DescribeDiscovererCommand).rejects(discovererNotFound());
      schemas.on(ListDiscoverersCommand).resolves({ Discoverers: [] });
      // Act
      await deleteGithubEventBus(generated, context(), props({ EventBusName: generated }));
      // Assess
      expect(events).toHaveReceivedCommandTimes(ListTagsForResourceCommand, 1);
      expect(events).toHaveReceivedCommandTimes(DeleteEventBusCommand, 1);
      expect(logs.lines().join('\n')).not.toContain('physical id made up');
    });

    it('leaves what is not ours under the properties’ EventBusName', async () => {
      // Prepare
      events.on(ListTagsForResourceCommand).rejects(notFound());
      events.on(ListTagsForResourceCommand, { ResourceARN: BUS_ARN }).resolves({ Tags: [] });
      events.on(DescribeEventBusCommand).rejects(notFound());
      schemas.on(DescribeDiscovererCommand).rejects(discovererNotFound());
      schemas.on(ListDiscoverersCommand).resolves({ Discoverers: [] });
      // Act
      await deleteGithubEventBus(generated, context(), props());
      // Assess
      expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
    });

    it('never looks past the id of a Delete whose id is a name it answered, whatever the properties say', async () => {
      // Prepare: the old bus of a rename is gone already; the properties name the live new one
      events.on(ListTagsForResourceCommand).rejects(notFound());
      events.on(DescribeEventBusCommand).rejects(notFound());
      schemas.on(DescribeDiscovererCommand).rejects(discovererNotFound());
      // Act
      await deleteGithubEventBus('old-bus', context(), props());
      // Assess
      expect(events).not.toHaveReceivedCommandWith(ListTagsForResourceCommand, { ResourceARN: BUS_ARN });
      expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
      expect(schemas).not.toHaveReceivedCommand(DeleteDiscovererCommand);
    });
  });

  it('proves each ours by its own tags (two reads side by side), then deletes the discoverer and the bus', async () => {
    // Prepare
    ownedBus();
    // Act
    await deleteGithubEventBus(NAME, context());
    // Assess
    expect(callNames()).toEqual(['ListTagsForResource', 'DeleteEventBus', 'DescribeDiscoverer', 'DeleteDiscoverer']);
    const [deleteDiscoverer] = schemas.commandCalls(DeleteDiscovererCommand);
    const [deleteBus] = events.commandCalls(DeleteEventBusCommand);
    expect(deleteBus && deleteDiscoverer?.calledBefore(deleteBus)).toBe(true);
    expect(events).toHaveReceivedCommandWith(ListTagsForResourceCommand, { ResourceARN: BUS_ARN });
    expect(schemas).toHaveReceivedCommandWith(DeleteDiscovererCommand, { DiscovererId: DISCOVERER_ID });
    expect(events).toHaveReceivedCommandWith(DeleteEventBusCommand, { Name: NAME });
  });

  it('names the bus by DescribeEventBus when the function does not know its account', async () => {
    // Prepare
    ownedBus();
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    // Act
    await deleteGithubEventBus(NAME, { ...context(), location: undefined });
    // Assess
    expect(events).toHaveReceivedCommandWith(ListTagsForResourceCommand, { ResourceARN: BUS_ARN });
    expect(events).toHaveReceivedCommandWith(DeleteEventBusCommand, { Name: NAME });
  });

  it('deletes a bus the derived ARN did not find once DescribeEventBus shows its real ARN is ours', async () => {
    // Prepare
    const realArn = BUS_ARN.replace('123456789012', '210987654321');
    events.on(ListTagsForResourceCommand, { ResourceARN: BUS_ARN }).rejects(notFound());
    events.on(ListTagsForResourceCommand, { ResourceARN: realArn }).resolves({ Tags: tagList(OWNER_TAGS) });
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: realArn });
    schemas.on(DescribeDiscovererCommand).resolves(describedDiscoverer({ SourceArn: realArn }));
    // Act
    await deleteGithubEventBus(NAME, context());
    // Assess
    expect(events).toHaveReceivedCommandWith(DeleteEventBusCommand, { Name: NAME });
  });

  it('removes its discoverer but leaves an adopted bus', async () => {
    // Prepare
    events.on(ListTagsForResourceCommand).resolves({ Tags: [{ Key: 'team', Value: 'platform' }] });
    schemas
      .on(DescribeDiscovererCommand)
      .resolves(describedDiscoverer({ Tags: { ...OWNER_TAGS, 'github-event-bus:bus-owned': 'false' } }));
    // Act
    await deleteGithubEventBus(NAME, context());
    // Assess
    expect(schemas).toHaveReceivedCommand(DeleteDiscovererCommand);
    expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
  });

  it('hands an adopted discoverer back on Delete: only our tags removed, left in place, and logged', async () => {
    // Prepare: a bus and discoverer made by hand, both adopted
    const logs = captureLogs();
    events.on(ListTagsForResourceCommand).resolves({ Tags: [{ Key: 'team', Value: 'platform' }] });
    schemas
      .on(DescribeDiscovererCommand)
      .resolves(describedDiscoverer({ State: 'STOPPED', Tags: { team: 'platform', ...ADOPTION_TAGS } }));
    // Act
    await deleteGithubEventBus(NAME, context());
    // Assess
    expect(schemas).toHaveReceivedCommandWith(SchemasUntagResourceCommand, {
      ResourceArn: DISCOVERER_ARN,
      TagKeys: Object.keys(ADOPTION_TAGS),
    });
    expect(schemas).not.toHaveReceivedCommand(DeleteDiscovererCommand);
    expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
    expectInfo(logs, 'adopted discoverer handed back: our tags removed, left in place', {
      discovererId: DISCOVERER_ID,
      state: 'STOPPED',
    });
  });

  it('leaves a bus re-created by someone else under our name, though our discoverer says the bus is ours', async () => {
    // Prepare: our discoverer lingers, claiming the bus; the bus itself now carries someone else's tags
    events.on(ListTagsForResourceCommand).resolves({ Tags: [{ Key: 'owner', Value: 'someone-else' }] });
    schemas.on(DescribeDiscovererCommand).resolves(describedDiscoverer());
    // Act
    await deleteGithubEventBus(NAME, context());
    // Assess
    expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
    expect(schemas).toHaveReceivedCommandWith(DeleteDiscovererCommand, { DiscovererId: DISCOVERER_ID });
  });

  it('leaves a discoverer someone else put on our bus, and does not wait for its rule', async () => {
    // Prepare
    events.on(ListTagsForResourceCommand).resolves({ Tags: tagList(OWNER_TAGS) });
    schemas.on(DescribeDiscovererCommand).resolves(describedDiscoverer({ Tags: { owner: 'someone-else' } }));
    events.on(DeleteEventBusCommand).rejects(hasRules());
    events.on(ListRulesCommand).resolves({ Rules: [{ Name: `Schemas-events-event-bus-${NAME}` }] });
    // Act
    const attempt = deleteGithubEventBus(NAME, context());
    // Assess
    await expect(attempt).rejects.toThrow(BusHasRulesError);
    expect(schemas).not.toHaveReceivedCommand(DeleteDiscovererCommand);
    expect(events).toHaveReceivedCommandTimes(DeleteEventBusCommand, 1);
  });

  it('touches nothing it does not own', async () => {
    // Prepare
    events.on(ListTagsForResourceCommand).resolves({ Tags: [] });
    schemas.on(DescribeDiscovererCommand).resolves(describedDiscoverer({ Tags: { owner: 'someone-else' } }));
    // Act
    await deleteGithubEventBus(NAME, context());
    // Assess
    expect(schemas).not.toHaveReceivedCommand(DeleteDiscovererCommand);
    expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
  });

  it('succeeds without any AWS call for an id that is not a bus name', async () => {
    // Act
    await deleteGithubEventBus('failed-create:9a3c1f4e', context());
    // Assess
    expect(callNames()).toEqual([]);
  });

  it('counts a bus and discoverer that are already gone as deleted', async () => {
    // Prepare
    events.on(ListTagsForResourceCommand).rejects(notFound());
    events.on(DescribeEventBusCommand).rejects(notFound());
    schemas.on(DescribeDiscovererCommand).rejects(discovererNotFound());
    // Act
    await deleteGithubEventBus(NAME, context());
    // Assess
    expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
    expect(schemas).not.toHaveReceivedCommand(DeleteDiscovererCommand);
  });

  it('deletes our discoverer left behind by a bus that is gone', async () => {
    // Prepare
    events.on(ListTagsForResourceCommand).rejects(notFound());
    events.on(DescribeEventBusCommand).rejects(notFound());
    schemas.on(DescribeDiscovererCommand).resolves(describedDiscoverer());
    // Act
    await deleteGithubEventBus(NAME, context());
    // Assess
    expect(schemas).toHaveReceivedCommandWith(DeleteDiscovererCommand, { DiscovererId: DISCOVERER_ID });
    expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
  });

  it('finishes a delete whose discoverer is already gone, deleting no discoverer', async () => {
    // Prepare
    ownedBus();
    schemas.on(DescribeDiscovererCommand).rejects(discovererNotFound());
    schemas.on(ListDiscoverersCommand).resolves({ Discoverers: [] });
    // Act
    await deleteGithubEventBus(NAME, context());
    // Assess
    expect(events).toHaveReceivedCommandWith(DeleteEventBusCommand, { Name: NAME });
  });

  it('deletes our discoverer at another id, found by the bus ARN', async () => {
    // Prepare
    ownedBus();
    schemas.on(DescribeDiscovererCommand, { DiscovererId: DISCOVERER_ID }).rejects(discovererNotFound());
    schemas.on(ListDiscoverersCommand).resolves({ Discoverers: [{ DiscovererId: 'other-id', SourceArn: BUS_ARN }] });
    schemas
      .on(DescribeDiscovererCommand, { DiscovererId: 'other-id' })
      .resolves(describedDiscoverer({ DiscovererId: 'other-id' }));
    // Act
    await deleteGithubEventBus(NAME, context());
    // Assess
    expect(schemas).toHaveReceivedCommandWith(DeleteDiscovererCommand, { DiscovererId: 'other-id' });
    expect(events).toHaveReceivedCommandWith(DeleteEventBusCommand, { Name: NAME });
  });

  it('waits for the discoverer rule to go before deleting the bus', async () => {
    // Prepare
    ownedBus();
    events.on(DeleteEventBusCommand).rejectsOnce(hasRules()).resolves({});
    events.on(ListRulesCommand).resolves({ Rules: [{ Name: `Schemas-events-event-bus-${NAME}` }] });
    // Act
    await deleteGithubEventBus(NAME, context());
    // Assess
    expect(events).toHaveReceivedCommandTimes(DeleteEventBusCommand, 2);
  });

  it('polls for the rule about once a second, and checks the rules only once', async () => {
    // Prepare: the rule goes after three polls
    ownedBus();
    events
      .on(DeleteEventBusCommand)
      .rejectsOnce(hasRules())
      .rejectsOnce(hasRules())
      .rejectsOnce(hasRules())
      .resolves({});
    events.on(ListRulesCommand).resolves({ Rules: [{ Name: `Schemas-events-event-bus-${NAME}` }] });
    const logs = captureLogs();
    // Act
    await deleteGithubEventBus(NAME, context());
    // Assess: each wait is about a second (jittered), not a doubling backoff (1, 2, 4 s)
    const waits = logs
      .entries()
      .filter((entry) => entry.message === 'waiting for the discoverer rule to go')
      .map((entry) => entry.waitMs as number);
    expect(waits).toHaveLength(3);
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(800);
      expect(wait).toBeLessThanOrEqual(1_200);
    }
    expect(events).toHaveReceivedCommandTimes(ListRulesCommand, 1);
  });

  it('fails at once, naming them, when the bus has rules that are not the discoverer rule', async () => {
    // Prepare
    ownedBus();
    events.on(DeleteEventBusCommand).rejects(hasRules());
    events
      .on(ListRulesCommand)
      .resolves({ Rules: [{ Name: `Schemas-events-event-bus-${NAME}` }, { Name: 'runner-queued' }] });
    // Act
    const attempt = deleteGithubEventBus(NAME, context());
    // Assess
    await expect(attempt).rejects.toThrow(BusHasRulesError);
    await expect(attempt).rejects.toThrow(/runner-queued/);
    expect(events).toHaveReceivedCommandTimes(DeleteEventBusCommand, 1);
  });

  it('recognises the discoverer rule by its manager whatever its name', async () => {
    // Prepare
    ownedBus();
    events.on(DeleteEventBusCommand).rejectsOnce(hasRules()).resolves({});
    events
      .on(ListRulesCommand)
      .resolves({ Rules: [{ Name: 'Schemas-events-event-bus-github-ac-3f2a', ManagedBy: 'schemas.amazonaws.com' }] });
    // Act
    await deleteGithubEventBus(NAME, context());
    // Assess
    expect(events).toHaveReceivedCommandTimes(DeleteEventBusCommand, 2);
  });

  it('gives up waiting for the rule when the time budget runs out', async () => {
    // Prepare
    ownedBus();
    events.on(DeleteEventBusCommand).rejects(hasRules());
    events.on(ListRulesCommand).resolves({ Rules: [{ Name: `Schemas-events-event-bus-${NAME}` }] });
    const shortContext = { ...context(), deadlineAt: Date.now() + 300 };
    // Act
    const attempt = deleteGithubEventBus(NAME, shortContext);
    // Assess
    await expect(attempt).rejects.toThrow(/can't be deleted while it has rules/);
  });
});

describe('review findings', () => {
  const alreadyExists = (attempts: number) =>
    new ResourceAlreadyExistsException({ message: 'exists', $metadata: { attempts } });
  const renamed = 'renamed-bus';
  const renamedArn = BUS_ARN.replace(NAME, renamed);
  const renamedDiscoverer = `events-event-bus-${renamed}`;

  it('undoes a discoverer its own lost-answer attempt made in a replacement, discoverer before bus', async () => {
    // Prepare: CreateDiscoverer took effect, its answer was lost, the SDK's retry met ConflictException
    events.on(CreateEventBusCommand).resolves({ EventBusArn: renamedArn });
    schemas.on(CreateDiscovererCommand).rejects(conflict(2));
    schemas.on(DescribeDiscovererCommand).resolves(
      describedDiscoverer({
        DiscovererId: renamedDiscoverer,
        SourceArn: renamedArn,
        Tags: { ...OWNED_DISCOVERER_TAGS, ...MARK },
      }),
    );
    schemas.on(StopDiscovererCommand).rejects(accessDenied());
    // Act
    const attempt = updateGithubEventBus(
      NAME,
      props({ EventBusName: renamed, DiscovererState: 'STOPPED' }),
      props(),
      context(),
    );
    // Assess
    await expect(attempt).rejects.toThrow('denied');
    expect(schemas).toHaveReceivedCommandWith(DeleteDiscovererCommand, { DiscovererId: renamedDiscoverer });
    expect(events).toHaveReceivedCommandWith(DeleteEventBusCommand, { Name: renamed });
    const [deleteDiscoverer] = schemas.commandCalls(DeleteDiscovererCommand);
    const [deleteBus] = events.commandCalls(DeleteEventBusCommand);
    expect(deleteBus && deleteDiscoverer?.calledBefore(deleteBus)).toBe(true);
  });

  it('undoes a bus its own lost-answer attempt made', async () => {
    // Prepare
    events.on(CreateEventBusCommand).rejects(alreadyExists(2));
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events.on(ListTagsForResourceCommand).resolves({ Tags: tagList({ ...OWNER_TAGS, ...MARK }) });
    schemas.on(CreateDiscovererCommand).rejects(accessDenied());
    // Act
    const attempt = createGithubEventBus(props(), context());
    // Assess
    await expect(attempt).rejects.toThrow('denied');
    expect(events).toHaveReceivedCommandWith(DeleteEventBusCommand, { Name: NAME });
  });

  it('never undoes a bus a copy of the same request made, though its own retried create met "already exists"', async () => {
    // Prepare: the first attempt was throttled (it made nothing); the retry met the bus another copy made
    events.on(CreateEventBusCommand).rejects(alreadyExists(2));
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events
      .on(ListTagsForResourceCommand)
      .resolves({ Tags: tagList({ ...OWNER_TAGS, 'github-event-bus:created-by': 'another-copy' }) });
    schemas.on(CreateDiscovererCommand).rejects(accessDenied());
    // Act
    const attempt = createGithubEventBus(props(), context());
    // Assess
    await expect(attempt).rejects.toThrow('denied');
    expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
  });

  it('never undoes what a late duplicate of a successful Create found made by another request', async () => {
    // Prepare: both exist already (first attempt of each call refused), and a later step fails
    events.on(CreateEventBusCommand).rejects(alreadyExists(1));
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events.on(ListTagsForResourceCommand).resolves({ Tags: tagList(OWNER_TAGS) });
    schemas.on(CreateDiscovererCommand).rejects(conflict(1));
    schemas.on(DescribeDiscovererCommand).resolves(describedDiscoverer({ State: 'STARTED' }));
    schemas.on(StopDiscovererCommand).rejects(accessDenied());
    // Act
    const attempt = createGithubEventBus(props({ DiscovererState: 'STOPPED' }), context());
    // Assess
    await expect(attempt).rejects.toThrow('denied');
    expect(schemas).not.toHaveReceivedCommand(DeleteDiscovererCommand);
    expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
  });

  it('leaves the bus it made, without a call or a wait, under a discoverer someone else put on it', async () => {
    // Prepare: the bus is new, the discoverer on it is someone else's (its rule will not go)
    events.on(CreateEventBusCommand).resolves({ EventBusArn: BUS_ARN });
    events.on(DeleteEventBusCommand).rejects(hasRules());
    schemas.on(CreateDiscovererCommand).rejects(conflict(1));
    schemas.on(DescribeDiscovererCommand).resolves(describedDiscoverer({ Tags: { owner: 'someone-else' } }));
    const logs = captureLogs();
    const started = Date.now();
    // Act
    await expect(createGithubEventBus(props(), context())).rejects.toThrow(/already has schema discoverer/);
    // Assess
    expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
    expect(Date.now() - started).toBeLessThan(800);
    expectInfo(logs, 'undo: leaving the event bus, which carries a discoverer this invocation did not create', {
      busName: NAME,
      discovererId: DISCOVERER_ID,
    });
  });

  it('removes what is ours under the new name when it rolls back a replacement CloudFormation took as FAILED', async () => {
    // Prepare: the old bus as it was; a late copy of the failed replacement made renamed-bus and its discoverer
    const renamed = 'renamed-bus';
    const renamedArn = BUS_ARN.replace(NAME, renamed);
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events.on(ListTagsForResourceCommand).resolves({ Tags: tagList(OWNER_TAGS) });
    schemas.on(DescribeDiscovererCommand).resolves(describedDiscoverer());
    schemas
      .on(DescribeDiscovererCommand, { DiscovererId: `events-event-bus-${renamed}` })
      .resolves(describedDiscoverer({ DiscovererId: `events-event-bus-${renamed}`, SourceArn: renamedArn }));
    const logs = captureLogs();
    // Act
    await updateGithubEventBus(NAME, props(), props({ EventBusName: renamed }), context());
    // Assess
    expectInfo(logs, 'rollback of a failed replacement; removing what is ours under the new name', {
      busName: renamed,
    });
    expect(schemas).toHaveReceivedCommandWith(DeleteDiscovererCommand, { DiscovererId: `events-event-bus-${renamed}` });
    expect(events).toHaveReceivedCommandWith(DeleteEventBusCommand, { Name: renamed });
    expect(events).not.toHaveReceivedCommandWith(DeleteEventBusCommand, { Name: NAME });
  });

  it('refuses an Update that no longer adopts a bus that is not ours, changing nothing on it', async () => {
    // Prepare: the discoverer says the bus is adopted; the properties drop AdoptExisting and ask for a description
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN, Description: 'theirs' });
    events.on(ListTagsForResourceCommand).resolves({ Tags: [] });
    schemas
      .on(DescribeDiscovererCommand)
      .resolves(describedDiscoverer({ Tags: { ...OWNER_TAGS, 'github-event-bus:bus-owned': 'false' } }));
    // Act
    const attempt = updateGithubEventBus(
      NAME,
      props({ Description: 'ours' }),
      props({ AdoptExisting: 'true' }),
      context(),
    );
    // Assess
    await expect(attempt).rejects.toThrow(/set AdoptExisting/);
    expect(events).not.toHaveReceivedCommand(UpdateEventBusCommand);
  });

  it('refuses an Update that would adopt a bus another stack’s resource made, making no discoverer on it', async () => {
    // Prepare: our discoverer is gone and the bus now carries another stack's tags
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events.on(ListTagsForResourceCommand).resolves({
      Tags: tagList({ ...OWNER_TAGS, 'github-event-bus:stack-id': otherStack }),
    });
    schemas.on(DescribeDiscovererCommand).rejects(discovererNotFound());
    schemas.on(ListDiscoverersCommand).resolves({ Discoverers: [] });
    // Act
    const attempt = updateGithubEventBus(
      NAME,
      props({ AdoptExisting: 'true' }),
      props({ AdoptExisting: 'true' }),
      context(),
    );
    // Assess
    await expect(attempt).rejects.toThrow(`is managed by the Custom::GithubEventBus of stack ${otherStack}`);
    expect(schemas).not.toHaveReceivedCommand(CreateDiscovererCommand);
  });

  it('manages an adopted bus as its own once its own tags say it is ours and AdoptExisting is dropped', async () => {
    // Prepare
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events.on(ListTagsForResourceCommand).resolves({ Tags: tagList(OWNER_TAGS) });
    schemas
      .on(DescribeDiscovererCommand)
      .resolves(describedDiscoverer({ Tags: { ...OWNER_TAGS, 'github-event-bus:bus-owned': 'false' } }));
    // Act
    await updateGithubEventBus(NAME, props({ Description: 'ours' }), props({ AdoptExisting: 'true' }), context());
    // Assess
    expect(events).toHaveReceivedCommandWith(UpdateEventBusCommand, { Name: NAME, Description: 'ours' });
  });

  it('never changes a bus whose own tags are not ours, whatever our discoverer says', async () => {
    // Prepare: our discoverer lingers with bus-owned=true; the bus was re-created by someone else
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN, Description: 'theirs' });
    events.on(ListTagsForResourceCommand).resolves({ Tags: [{ Key: 'owner', Value: 'someone-else' }] });
    schemas.on(DescribeDiscovererCommand).resolves(describedDiscoverer());
    // Act
    const attempt = updateGithubEventBus(
      NAME,
      props({ Description: 'ours' }),
      props({ Description: 'ours' }),
      context(),
    );
    // Assess
    await expect(attempt).rejects.toThrow(ForeignResourceError);
    expect(events).not.toHaveReceivedCommand(UpdateEventBusCommand);
    expect(events).not.toHaveReceivedCommand(TagResourceCommand);
    expect(events).not.toHaveReceivedCommand(UntagResourceCommand);
  });

  it('removes tags before adding them, on the bus and on the discoverer', async () => {
    // Prepare: 46 user tags (the most), one renamed
    const many = Array.from({ length: 46 }, (_, index) => ({ Key: `k${index}`, Value: 'v' }));
    const renamedTags = [...many.slice(1), { Key: 'k-new', Value: 'v' }];
    const userTags = Object.fromEntries(many.map((tag) => [tag.Key, tag.Value]));
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events.on(ListTagsForResourceCommand).resolves({ Tags: tagList({ ...OWNER_TAGS, ...userTags }) });
    schemas
      .on(DescribeDiscovererCommand)
      .resolves(describedDiscoverer({ Tags: { ...OWNED_DISCOVERER_TAGS, ...userTags } }));
    // Act
    await updateGithubEventBus(NAME, props({ Tags: renamedTags }), props({ Tags: many }), context());
    // Assess
    const [untagBus] = events.commandCalls(UntagResourceCommand);
    const [tagBus] = events.commandCalls(TagResourceCommand);
    const [untagDiscoverer] = schemas.commandCalls(SchemasUntagResourceCommand);
    const [tagDiscoverer] = schemas.commandCalls(SchemasTagResourceCommand);
    expect(tagBus && untagBus?.calledBefore(tagBus)).toBe(true);
    expect(tagDiscoverer && untagDiscoverer?.calledBefore(tagDiscoverer)).toBe(true);
  });

  it('reads the bus tags and removes a tag the properties no longer have, though nothing else changed', async () => {
    // Prepare
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events.on(ListTagsForResourceCommand).resolves({ Tags: tagList({ ...OWNER_TAGS, team: 'ci' }) });
    schemas
      .on(DescribeDiscovererCommand)
      .resolves(describedDiscoverer({ Tags: { ...OWNED_DISCOVERER_TAGS, team: 'ci' } }));
    // Act
    await updateGithubEventBus(NAME, props(), props({ Tags: [{ Key: 'team', Value: 'ci' }] }), context());
    // Assess
    expect(events).toHaveReceivedCommandWith(UntagResourceCommand, { ResourceARN: BUS_ARN, TagKeys: ['team'] });
    expect(schemas).toHaveReceivedCommandWith(SchemasUntagResourceCommand, { TagKeys: ['team'] });
  });

  it('reads the bus tags and diffs from them when the old properties cannot be trusted', async () => {
    // Prepare: the bus has a stale tag the discoverer does not
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events.on(ListTagsForResourceCommand).resolves({ Tags: tagList({ ...OWNER_TAGS, stale: 'x' }) });
    schemas.on(DescribeDiscovererCommand).resolves(describedDiscoverer());
    // Act
    await updateGithubEventBus(NAME, props(), undefined, context());
    // Assess
    expect(events).toHaveReceivedCommandWith(UntagResourceCommand, { ResourceARN: BUS_ARN, TagKeys: ['stale'] });
  });

  it('treats empty descriptions as none, so an unchanged Update makes only the two reads', async () => {
    // Prepare: AWS reports no description as absent
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    schemas.on(DescribeDiscovererCommand).resolves(describedDiscoverer());
    const same = props({ Description: '', DiscovererDescription: '' });
    // Act
    await updateGithubEventBus(NAME, same, same, context());
    // Assess
    expect(callNames().sort()).toEqual(['DescribeDiscoverer', 'DescribeEventBus']);
  });
});

describe('what CloudFormation and the logs show when a request goes wrong', () => {
  const abortedAfter = (ms: number) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), ms);
    return { ...context(), signal: controller.signal };
  };
  const abortError = () => Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
  const cutShort = async () => {
    await new Promise((resolve) => setTimeout(resolve, 60));
    throw abortError();
  };

  it('answers a refused CreateEventBus with that refusal, making no other call and logging no undo', async () => {
    // Prepare
    const logs = captureLogs();
    events.on(CreateEventBusCommand).rejects(accessDenied());
    // Act & Assess
    await expect(createGithubEventBus(props(), context())).rejects.toThrow('denied');
    expect(callNames()).toEqual(['CreateEventBus']);
    expect(logs.atLevel('WARN')).toEqual([]);
  });

  it('takes back only the bus when CreateDiscoverer is refused, without looking for a discoverer', async () => {
    // Prepare
    captureLogs();
    events.on(CreateEventBusCommand).resolves({ EventBusArn: BUS_ARN });
    schemas.on(CreateDiscovererCommand).rejects(accessDenied());
    // Act & Assess
    await expect(createGithubEventBus(props(), context())).rejects.toThrow('denied');
    expect(callNames()).toEqual(['CreateEventBus', 'DeleteEventBus', 'CreateDiscoverer']);
  });

  it('says how to get past a discoverer it did not create', async () => {
    // Prepare
    captureLogs();
    events.on(CreateEventBusCommand).resolves({ EventBusArn: BUS_ARN });
    schemas.on(CreateDiscovererCommand).rejects(conflict(1));
    schemas.on(DescribeDiscovererCommand).resolves(describedDiscoverer({ Tags: { owner: 'someone-else' } }));
    // Act & Assess
    await expect(createGithubEventBus(props(), context())).rejects.toThrow(
      `Event bus ${NAME} already has schema discoverer ${DISCOVERER_ID}, which this resource did not create; ` +
        'a bus can have only one. Delete that discoverer or choose another EventBusName.',
    );
  });

  it('says which bus is in the way when it is not ours', async () => {
    // Prepare
    events.on(CreateEventBusCommand).rejects(new ResourceAlreadyExistsException({ message: 'exists', $metadata: {} }));
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events.on(ListTagsForResourceCommand).resolves({ Tags: [] });
    // Act & Assess
    await expect(createGithubEventBus(props(), context())).rejects.toThrow(
      `Event bus ${NAME} already exists and was not created by this resource. To manage discovery on it (adopting`,
    );
  });

  it('records the bus as its own on the discoverer when a repeated Create finds its bus', async () => {
    // Prepare
    events.on(CreateEventBusCommand).rejects(new ResourceAlreadyExistsException({ message: 'exists', $metadata: {} }));
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events.on(ListTagsForResourceCommand).resolves({ Tags: tagList(OWNER_TAGS) });
    schemas.on(CreateDiscovererCommand).resolves(describedDiscoverer());
    // Act
    await createGithubEventBus(props(), context());
    // Assess
    expect(schemas).toHaveReceivedCommandWith(CreateDiscovererCommand, { Tags: { ...OWNED_DISCOVERER_TAGS, ...MARK } });
  });

  it('takes back a bus whose create was cut short by the deadline, once the bus carries this invocation’s mark', async () => {
    // Prepare: the create took effect, its answer never came
    captureLogs();
    events.on(CreateEventBusCommand).callsFake(cutShort);
    events.on(DescribeEventBusCommand).callsFake(() => ({ Name: NAME, Arn: BUS_ARN, CreationTime: new Date() }));
    events.on(ListTagsForResourceCommand).resolves({ Tags: tagList({ ...OWNER_TAGS, ...MARK }) });
    // Act & Assess
    await expect(createGithubEventBus(props(), abortedAfter(20))).rejects.toThrow('aborted');
    expect(events).toHaveReceivedCommandWith(DeleteEventBusCommand, { Name: NAME });
  });

  it('leaves a bus made after this request started by someone else, though its own create was cut short', async () => {
    // Prepare
    captureLogs();
    events.on(CreateEventBusCommand).callsFake(cutShort);
    events.on(DescribeEventBusCommand).callsFake(() => ({ Name: NAME, Arn: BUS_ARN, CreationTime: new Date() }));
    events.on(ListTagsForResourceCommand).resolves({ Tags: [{ Key: 'owner', Value: 'someone-else' }] });
    // Act & Assess
    await expect(createGithubEventBus(props(), abortedAfter(20))).rejects.toThrow('aborted');
    expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
  });

  it('leaves a bus of ours another invocation made, though it was made just now and its own create was cut short', async () => {
    // Prepare: a copy of the request made it a moment ago; no clock says otherwise
    captureLogs();
    events.on(CreateEventBusCommand).callsFake(cutShort);
    events.on(DescribeEventBusCommand).callsFake(() => ({ Name: NAME, Arn: BUS_ARN, CreationTime: new Date() }));
    events
      .on(ListTagsForResourceCommand)
      .resolves({ Tags: tagList({ ...OWNER_TAGS, 'github-event-bus:created-by': 'another-copy' }) });
    // Act & Assess
    await expect(createGithubEventBus(props(), abortedAfter(20))).rejects.toThrow('aborted');
    expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
  });

  it('takes back a discoverer whose create was cut short on the bus it made, then the bus, waiting for the rule', async () => {
    // Prepare: the discoverer's rule outlives it by one refusal
    captureLogs();
    jest.spyOn(Math, 'random').mockReturnValue(0);
    events.on(CreateEventBusCommand).resolves({ EventBusArn: BUS_ARN });
    schemas.on(CreateDiscovererCommand).callsFake(cutShort);
    schemas
      .on(DescribeDiscovererCommand)
      .resolves(describedDiscoverer({ Tags: { ...OWNED_DISCOVERER_TAGS, ...MARK } }));
    events.on(DeleteEventBusCommand).rejectsOnce(hasRules()).resolves({});
    events.on(ListRulesCommand).resolves({ Rules: [{ Name: `Schemas-events-event-bus-${NAME}` }] });
    // Act & Assess
    await expect(createGithubEventBus(props(), abortedAfter(20))).rejects.toThrow('aborted');
    expect(schemas).toHaveReceivedCommandWith(DeleteDiscovererCommand, { DiscovererId: DISCOVERER_ID });
    expect(events).toHaveReceivedCommandTimes(DeleteEventBusCommand, 2);
  });

  it('never undoes a discoverer a copy of the same request made on the bus this invocation made, nor that bus', async () => {
    // Prepare: this invocation made the bus; its CreateDiscoverer hung past the deadline while the copy's went through
    captureLogs();
    events.on(CreateEventBusCommand).resolves({ EventBusArn: BUS_ARN });
    schemas.on(CreateDiscovererCommand).callsFake(cutShort);
    schemas
      .on(DescribeDiscovererCommand)
      .resolves(
        describedDiscoverer({ Tags: { ...OWNED_DISCOVERER_TAGS, 'github-event-bus:created-by': 'another-copy' } }),
      );
    // Act
    await expect(createGithubEventBus(props(), abortedAfter(20))).rejects.toThrow('aborted');
    // Assess
    expect(schemas).not.toHaveReceivedCommand(DeleteDiscovererCommand);
    expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
  });

  it('leaves the discoverer a copy made on the bus this invocation made, and the bus under it, when a later step fails', async () => {
    // Prepare: CreateDiscoverer answered Conflict at its first attempt: a copy of the request made it meanwhile
    captureLogs();
    events.on(CreateEventBusCommand).resolves({ EventBusArn: BUS_ARN });
    schemas.on(CreateDiscovererCommand).rejects(conflict(1));
    schemas.on(DescribeDiscovererCommand).resolves(describedDiscoverer());
    schemas.on(StopDiscovererCommand).rejects(accessDenied());
    // Act & Assess
    await expect(createGithubEventBus(props({ DiscovererState: 'STOPPED' }), context())).rejects.toThrow('denied');
    expect(schemas).not.toHaveReceivedCommand(DeleteDiscovererCommand);
    expect(events).not.toHaveReceivedCommand(DeleteEventBusCommand);
  });

  it('logs what it takes back, one line per resource, and the time it had', async () => {
    // Prepare
    const logs = captureLogs();
    events.on(CreateEventBusCommand).resolves({ EventBusArn: BUS_ARN });
    schemas.on(CreateDiscovererCommand).resolves(describedDiscoverer({ State: 'STARTED' }));
    schemas.on(StopDiscovererCommand).rejects(accessDenied());
    // Act
    await expect(createGithubEventBus(props({ DiscovererState: 'STOPPED' }), context())).rejects.toThrow('denied');
    // Assess
    const lines = [...logs.atLevel('WARN'), ...logs.atLevel('INFO')];
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          message: 'request failed; undoing its partial work',
          bus: NAME,
          discoverer: DISCOVERER_ID,
          budgetMs: expect.any(Number),
        }),
        expect.objectContaining({ message: 'undo: discoverer deleted', discovererId: DISCOVERER_ID }),
        expect.objectContaining({ message: 'undo: event bus deleted', busName: NAME }),
        expect.objectContaining({ message: 'partial work undone', bus: NAME, discoverer: DISCOVERER_ID }),
      ]),
    );
    const budget = lines.find(({ message }) => message === 'request failed; undoing its partial work')?.budgetMs;
    expect(budget).toBeGreaterThan(39_000);
  });

  it('answers with the request’s own error when the undo fails too, and logs what is left', async () => {
    // Prepare
    const logs = captureLogs();
    events.on(CreateEventBusCommand).resolves({ EventBusArn: BUS_ARN });
    schemas.on(CreateDiscovererCommand).resolves(describedDiscoverer({ State: 'STARTED' }));
    schemas.on(StopDiscovererCommand).rejects(accessDenied());
    schemas.on(DeleteDiscovererCommand).rejects(new Error('undo refused'));
    // Act & Assess
    await expect(createGithubEventBus(props({ DiscovererState: 'STOPPED' }), context())).rejects.toThrow('denied');
    expect(logs.atLevel('WARN')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ message: 'undo incomplete', bus: NAME, discoverer: DISCOVERER_ID }),
      ]),
    );
  });

  it('stops waiting for the rule a second before the undo’s deadline, so the answer is the request’s error', async () => {
    // Prepare: the rule never goes
    captureLogs();
    events.on(CreateEventBusCommand).resolves({ EventBusArn: BUS_ARN });
    schemas.on(CreateDiscovererCommand).resolves(describedDiscoverer({ State: 'STARTED' }));
    schemas.on(StopDiscovererCommand).rejects(accessDenied());
    events.on(DeleteEventBusCommand).rejects(hasRules());
    events.on(ListRulesCommand).resolves({ Rules: [{ Name: `Schemas-events-event-bus-${NAME}` }] });
    const started = Date.now();
    const tight = { ...context(), undo: { signal: new AbortController().signal, deadlineAt: started + 2_500 } };
    // Act
    await expect(createGithubEventBus(props({ DiscovererState: 'STOPPED' }), tight)).rejects.toThrow('denied');
    // Assess
    expect(Date.now() - started).toBeLessThan(1_700);
  });
});

describe('what the logs say a request healed, adopted or left alone', () => {
  const warnings = (logs: ReturnType<typeof captureLogs>) => logs.atLevel('WARN');
  const notes = (logs: ReturnType<typeof captureLogs>) =>
    logs.atLevel('INFO').filter(({ message }) => message !== 'aws call');

  it('notes, on a Delete, each resource it leaves because it is not ours', async () => {
    // Prepare
    const logs = captureLogs();
    events.on(ListTagsForResourceCommand).resolves({ Tags: [] });
    schemas.on(DescribeDiscovererCommand).resolves(describedDiscoverer({ Tags: { owner: 'someone-else' } }));
    // Act
    await deleteGithubEventBus(NAME, context());
    // Assess
    expect(notes(logs)).toEqual([
      expect.objectContaining({
        message: 'leaving a discoverer this resource did not create',
        discovererId: DISCOVERER_ID,
      }),
      expect.objectContaining({ message: 'leaving an event bus this resource did not create', busName: NAME }),
    ]);
  });

  it('notes, on a Delete, a bus already gone, and leaves no note about a discoverer there is not', async () => {
    // Prepare
    const logs = captureLogs();
    events.on(ListTagsForResourceCommand).rejects(notFound());
    events.on(DescribeEventBusCommand).rejects(notFound());
    schemas.on(DescribeDiscovererCommand).rejects(discovererNotFound());
    // Act
    await deleteGithubEventBus(NAME, context());
    // Assess
    expect(notes(logs)).toEqual([expect.objectContaining({ message: 'event bus already gone', busName: NAME })]);
  });

  it('notes a Delete of an id that names no bus', async () => {
    // Prepare
    const logs = captureLogs();
    // Act
    await deleteGithubEventBus('failed-create:9a3c1f4e', context());
    // Assess
    expect(notes(logs)).toEqual([
      expect.objectContaining({
        message: 'physical id is not an event bus name; nothing to delete',
        physicalResourceId: 'failed-create:9a3c1f4e',
      }),
    ]);
  });

  it('notes a bus it adopts, which a Delete will leave in place', async () => {
    // Prepare
    const logs = captureLogs();
    events.on(CreateEventBusCommand).rejects(new ResourceAlreadyExistsException({ message: 'exists', $metadata: {} }));
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events.on(ListTagsForResourceCommand).resolves({ Tags: [] });
    schemas.on(CreateDiscovererCommand).resolves(describedDiscoverer());
    // Act
    await createGithubEventBus(props({ AdoptExisting: 'true' }), context());
    // Assess
    expect(notes(logs)).toEqual([
      expect.objectContaining({
        message: 'adopting an existing event bus; it will be left in place on delete',
        busName: NAME,
      }),
    ]);
  });

  it('warns that it creates again a bus that is gone', async () => {
    // Prepare
    const logs = captureLogs();
    events.on(DescribeEventBusCommand).rejects(notFound());
    schemas.on(DescribeDiscovererCommand).rejects(discovererNotFound());
    events.on(CreateEventBusCommand).resolves({ EventBusArn: BUS_ARN });
    schemas.on(CreateDiscovererCommand).resolves(describedDiscoverer());
    // Act
    await updateGithubEventBus(NAME, props(), props(), context());
    // Assess
    expect(logs.atLevel('WARN')).toEqual([
      expect.objectContaining({ message: 'event bus is gone; creating it again', busName: NAME }),
    ]);
  });

  it('warns that it recreates a discoverer that is gone, and warns of nothing on a plain change', async () => {
    // Prepare
    const logs = captureLogs();
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events.on(ListTagsForResourceCommand).resolves({ Tags: tagList(OWNER_TAGS) });
    schemas.on(DescribeDiscovererCommand).rejectsOnce(discovererNotFound()).resolves(describedDiscoverer());
    schemas.on(ListDiscoverersCommand).resolves({ Discoverers: [] });
    schemas.on(CreateDiscovererCommand).resolves(describedDiscoverer());
    // Act
    await updateGithubEventBus(NAME, props(), props(), context());
    const first = warnings(logs);
    await updateGithubEventBus(NAME, props({ Description: 'new' }), props(), context());
    // Assess
    expect(first).toEqual([
      expect.objectContaining({ message: 'discoverer is gone; creating it again', busName: NAME }),
    ]);
    expect(warnings(logs)).toEqual(first);
  });

  it('warns of nothing when it updates the discoverer on a bus it adopted', async () => {
    // Prepare
    const logs = captureLogs();
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events.on(ListTagsForResourceCommand).resolves({ Tags: [] });
    schemas
      .on(DescribeDiscovererCommand)
      .resolves(describedDiscoverer({ Tags: { ...OWNER_TAGS, 'github-event-bus:bus-owned': 'false' } }));
    // Act
    await updateGithubEventBus(NAME, props({ AdoptExisting: 'true', CrossAccount: 'false' }), props(), context());
    // Assess
    expect(warnings(logs)).toEqual([]);
    expect(schemas).toHaveReceivedCommand(UpdateDiscovererCommand);
  });

  it('warns that it leaves alone, as adopted, a bus that no longer carries our tags', async () => {
    // Prepare
    const logs = captureLogs();
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events.on(ListTagsForResourceCommand).resolves({ Tags: [] });
    schemas.on(DescribeDiscovererCommand).resolves(describedDiscoverer());
    // Act
    await updateGithubEventBus(NAME, props({ AdoptExisting: 'true', Description: 'new' }), props(), context());
    // Assess
    expect(warnings(logs)).toEqual([
      expect.objectContaining({
        message: 'the event bus no longer carries our tags; leaving it alone as adopted',
        busName: NAME,
      }),
    ]);
    expect(events).not.toHaveReceivedCommand(UpdateEventBusCommand);
  });
});

describe('when AWS answers what it should not', () => {
  beforeEach(() => captureLogs());

  it('asks for a retry when the bus a Create was told exists is gone when read', async () => {
    // Prepare: deleted between the two calls
    events.on(CreateEventBusCommand).rejects(new ResourceAlreadyExistsException({ message: 'exists', $metadata: {} }));
    events.on(DescribeEventBusCommand).rejects(notFound());
    // Act & Assess
    await expect(createGithubEventBus(props(), context())).rejects.toThrow(
      `Event bus ${NAME} was reported to exist but could not be described; retry the request`,
    );
  });

  it('asks for a retry when the discoverer a Create was told exists cannot be found', async () => {
    // Prepare
    events.on(CreateEventBusCommand).resolves({ EventBusArn: BUS_ARN });
    schemas.on(CreateDiscovererCommand).rejects(conflict(1));
    schemas.on(DescribeDiscovererCommand).rejects(discovererNotFound());
    schemas.on(ListDiscoverersCommand).resolves({ Discoverers: [] });
    // Act & Assess
    await expect(createGithubEventBus(props(), context())).rejects.toThrow(
      `Event bus ${NAME} has a discoverer that could not be found; retry the request`,
    );
  });

  it('fails a Create, naming the bus, when CreateEventBus returns no ARN', async () => {
    // Prepare
    events.on(CreateEventBusCommand).resolves({});
    // Act & Assess
    await expect(createGithubEventBus(props(), context())).rejects.toThrow(
      `CreateEventBus returned no EventBusArn for ${NAME}`,
    );
  });

  it('fails an Update, naming the bus, when DescribeEventBus returns no ARN', async () => {
    // Prepare
    events.on(DescribeEventBusCommand).resolves({ Name: NAME });
    schemas.on(DescribeDiscovererCommand).resolves(describedDiscoverer());
    // Act & Assess
    await expect(updateGithubEventBus(NAME, props(), props(), context())).rejects.toThrow(
      `DescribeEventBus returned no Arn for ${NAME}`,
    );
  });

  it('fails a Create when Schemas returns a discoverer without id or ARN', async () => {
    // Prepare
    events.on(CreateEventBusCommand).resolves({ EventBusArn: BUS_ARN });
    schemas.on(CreateDiscovererCommand).resolves({ State: 'STARTED' });
    // Act & Assess
    await expect(createGithubEventBus(props(), context())).rejects.toThrow(
      'Schemas returned a discoverer without id or ARN',
    );
  });

  it('names a rule that has no name as unnamed when it keeps the bus from going', async () => {
    // Prepare
    events.on(ListTagsForResourceCommand).resolves({ Tags: tagList(OWNER_TAGS) });
    schemas.on(DescribeDiscovererCommand).rejects(discovererNotFound());
    schemas.on(ListDiscoverersCommand).resolves({ Discoverers: [] });
    events.on(DeleteEventBusCommand).rejects(hasRules());
    events.on(ListRulesCommand).resolves({ Rules: [{ State: 'ENABLED' }] });
    // Act & Assess
    await expect(deleteGithubEventBus(NAME, context())).rejects.toThrow('(unnamed)');
  });
});
