import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  type DescribeEventBusCommandOutput,
  EventBridgeClient,
  ListTagsForResourceCommand,
  ResourceAlreadyExistsException,
  UpdateEventBusCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateDiscovererCommand,
  DescribeDiscovererCommand,
  type DescribeDiscovererCommandOutput,
  SchemasClient,
} from '@aws-sdk/client-schemas';
import { mockClient } from 'aws-sdk-client-mock';
import { InvalidPropertiesError } from '../../../handler/resource/errors';
import { createGithubEventBus, updateGithubEventBus } from '../../../handler/resource/github-event-bus';
import { parseProperties } from '../../../handler/resource/properties';
import { BUS_ARN, callNamesOf, DISCOVERER_ID, NAME, OWNER_TAGS, resourceContext } from '../../fixtures/resource';

const events = mockClient(EventBridgeClient);
const schemas = mockClient(SchemasClient);

const MODELS = join(__dirname, '..', '..', '..', 'models', 'aws');

/** The values of a Smithy enum shape in the vendored EventBridge model. */
const modelEnum = (shape: string): string[] => {
  const model = JSON.parse(readFileSync(join(MODELS, 'eventbridge.json'), 'utf8'));
  const members = model.shapes[`com.amazonaws.eventbridge#${shape}`].members as Record<string, unknown>;
  return Object.keys(members).sort();
};

/** The enum of a LogConfig member in the AWS::Events::EventBus registry schema. */
const registryEnum = (member: string): string[] => {
  const schema = JSON.parse(readFileSync(join(MODELS, 'cfn', 'aws-events-eventbus.json'), 'utf8'));
  return [...schema.properties.LogConfig.properties[member].enum].sort();
};

const context = resourceContext;

const props = (extra: Record<string, unknown> = {}) => parseProperties({ EventBusName: NAME, ...extra });

const problemsOf = (extra: Record<string, unknown>): string[] => {
  try {
    props(extra);
  } catch (error) {
    if (error instanceof InvalidPropertiesError) return error.problems;
    throw error;
  }
  throw new Error(`parseProperties accepted ${JSON.stringify(extra)}`);
};

const describedDiscoverer = (tags: Record<string, string>): DescribeDiscovererCommandOutput => ({
  DiscovererId: DISCOVERER_ID,
  DiscovererArn: `arn:aws:schemas:us-east-1:123456789012:discoverer/${DISCOVERER_ID}`,
  SourceArn: BUS_ARN,
  State: 'STARTED',
  Description: `Schema discoverer for events on ${NAME} event bus`,
  CrossAccount: true,
  Tags: tags,
  $metadata: {},
});

/** The bus as DescribeEventBus answers, and our discoverer on it (over a bus it owns unless `busOwned` is false). */
const existing = (bus: Partial<DescribeEventBusCommandOutput> = {}, busOwned = true) => {
  events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN, ...bus });
  // The bus's own tags prove it ours before it is changed.
  events.on(ListTagsForResourceCommand).resolves({
    Tags: busOwned ? Object.entries(OWNER_TAGS).map(([Key, Value]) => ({ Key, Value })) : [],
  });
  schemas
    .on(DescribeDiscovererCommand)
    .resolves(describedDiscoverer({ ...OWNER_TAGS, 'github-event-bus:bus-owned': String(busOwned) }));
};

const callNames = (): string[] => callNamesOf(events, schemas);

beforeEach(() => {
  events.reset();
  schemas.reset();
});

describe('LogConfig property', () => {
  it('accepts both members, as AWS::Events::EventBus spells them', () => {
    // Act
    const properties = props({ LogConfig: { IncludeDetail: 'FULL', Level: 'TRACE' } });
    // Assess
    expect(properties.logConfig).toEqual({ IncludeDetail: 'FULL', Level: 'TRACE' });
  });

  it('fills a member left out with its default: IncludeDetail NONE, Level OFF', () => {
    // Act
    const onlyLevel = props({ LogConfig: { Level: 'ERROR' } });
    const empty = props({ LogConfig: {} });
    // Assess
    expect(onlyLevel.logConfig).toEqual({ IncludeDetail: 'NONE', Level: 'ERROR' });
    expect(empty.logConfig).toEqual({ IncludeDetail: 'NONE', Level: 'OFF' });
  });

  it('is absent when the property is', () => {
    // Assess
    expect(props().logConfig).toBeUndefined();
  });

  it.each([
    ['IncludeDetail', 'IncludeDetail'],
    ['Level', 'Level'],
  ])('accepts every %s value of the EventBridge model, which the registry schema lists too', (member, shape) => {
    // Prepare
    const values = modelEnum(shape);
    // Act
    const accepted = values.filter(
      (value) => props({ LogConfig: { [member]: value } }).logConfig?.[member as 'Level'] === value,
    );
    // Assess
    expect(accepted).toEqual(values);
    expect(registryEnum(member)).toEqual(values);
  });

  it.each([
    [
      'a Level the model does not have',
      { Level: 'DEBUG' },
      'LogConfig.Level must be ERROR, INFO, OFF or TRACE, got "DEBUG"',
    ],
    ['a Level in lower case', { Level: 'info' }, 'LogConfig.Level must be ERROR, INFO, OFF or TRACE, got "info"'],
    [
      'an IncludeDetail that is not a string',
      { IncludeDetail: true },
      'LogConfig.IncludeDetail must be FULL or NONE, got boolean true',
    ],
    ['an unknown member', { Level: 'INFO', Destination: 'logs' }, 'LogConfig has unknown properties: Destination'],
    [
      'two unknown members',
      { Level: 'INFO', Destination: 'logs', Format: 'json' },
      'LogConfig has unknown properties: Destination, Format',
    ],
  ])('refuses %s with one reason naming the member', (_, logConfig, reason) => {
    // Act
    const problems = problemsOf({ LogConfig: logConfig });
    // Assess
    expect(problems).toEqual([reason]);
  });

  it.each([
    ['a string', 'INFO', 'got "INFO"'],
    ['a list', [{ Level: 'INFO' }], 'got a list'],
  ])('refuses a LogConfig that is %s', (_, logConfig, got) => {
    // Act
    const problems = problemsOf({ LogConfig: logConfig });
    // Assess
    expect(problems).toEqual([`LogConfig must be an object { IncludeDetail, Level }, ${got}`]);
  });
});

describe('LogConfig on create', () => {
  beforeEach(() => {
    events.on(CreateEventBusCommand).resolves({ EventBusArn: BUS_ARN });
    schemas.on(CreateDiscovererCommand).resolves(describedDiscoverer({}));
  });

  it('is passed to CreateEventBus, in the same two calls', async () => {
    // Act
    await createGithubEventBus(props({ LogConfig: { IncludeDetail: 'FULL', Level: 'INFO' } }), context());
    // Assess
    expect(callNames().sort()).toEqual(['CreateDiscoverer', 'CreateEventBus']);
    expect(events).toHaveReceivedCommandWith(CreateEventBusCommand, {
      Name: NAME,
      LogConfig: { IncludeDetail: 'FULL', Level: 'INFO' },
    });
  });

  it('is left out of CreateEventBus when the property is absent', async () => {
    // Act
    await createGithubEventBus(props(), context());
    // Assess
    const [call] = events.commandCalls(CreateEventBusCommand);
    expect(call?.args[0].input.LogConfig).toBeUndefined();
  });

  it('is brought to the properties on a repeated Create whose bus is already ours', async () => {
    // Prepare
    events.on(CreateEventBusCommand).rejects(new ResourceAlreadyExistsException({ message: 'exists', $metadata: {} }));
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN });
    events
      .on(ListTagsForResourceCommand)
      .resolves({ Tags: Object.entries(OWNER_TAGS).map(([Key, Value]) => ({ Key, Value })) });
    // Act
    await createGithubEventBus(props({ LogConfig: { Level: 'ERROR' } }), context());
    // Assess
    expect(events).toHaveReceivedCommandWith(UpdateEventBusCommand, {
      Name: NAME,
      LogConfig: { IncludeDetail: 'NONE', Level: 'ERROR' },
    });
  });

  it('is not applied to an adopted bus', async () => {
    // Prepare
    events.on(CreateEventBusCommand).rejects(new ResourceAlreadyExistsException({ message: 'exists', $metadata: {} }));
    events.on(DescribeEventBusCommand).resolves({ Name: NAME, Arn: BUS_ARN, LogConfig: { Level: 'OFF' } });
    events.on(ListTagsForResourceCommand).resolves({ Tags: [] });
    // Act
    await createGithubEventBus(props({ AdoptExisting: 'true', LogConfig: { Level: 'TRACE' } }), context());
    // Assess
    expect(events).not.toHaveReceivedCommand(UpdateEventBusCommand);
  });
});

describe('LogConfig on update', () => {
  it('makes only the two reads when the bus already logs as the properties say', async () => {
    // Prepare
    existing({ LogConfig: { IncludeDetail: 'FULL', Level: 'INFO' } });
    const logged = props({ LogConfig: { IncludeDetail: 'FULL', Level: 'INFO' } });
    // Act
    await updateGithubEventBus(NAME, logged, logged, context());
    // Assess
    expect(callNames().sort()).toEqual(['DescribeDiscoverer', 'DescribeEventBus']);
  });

  it.each([
    ['a member left out of the property', { LogConfig: { Level: 'INFO' } }, { Level: 'INFO' }],
    [
      'a member left out of DescribeEventBus',
      { LogConfig: { IncludeDetail: 'NONE', Level: 'INFO' } },
      { Level: 'INFO' },
    ],
    ['no property and no LogConfig on the bus', {}, undefined],
    ['no property and logging off on the bus', {}, { IncludeDetail: 'NONE', Level: 'OFF' }],
  ])('counts defaults as equal: %s', async (_, extra, described) => {
    // Prepare
    existing({ LogConfig: described as DescribeEventBusCommandOutput['LogConfig'] });
    // Act
    await updateGithubEventBus(NAME, props(extra), props(extra), context());
    // Assess
    expect(events).not.toHaveReceivedCommand(UpdateEventBusCommand);
  });

  it('changes it in place with one UpdateEventBus, keeping the physical id', async () => {
    // Prepare
    existing({ LogConfig: { IncludeDetail: 'NONE', Level: 'ERROR' } });
    // Act
    const outcome = await updateGithubEventBus(
      NAME,
      props({ LogConfig: { IncludeDetail: 'FULL', Level: 'TRACE' } }),
      props({ LogConfig: { IncludeDetail: 'NONE', Level: 'ERROR' } }),
      context(),
    );
    // Assess
    expect(outcome.id).toBe(NAME);
    // The bus's tags are read to prove it ours before it is changed.
    expect(callNames().sort()).toEqual([
      'DescribeDiscoverer',
      'DescribeEventBus',
      'ListTagsForResource',
      'UpdateEventBus',
    ]);
    expect(events).toHaveReceivedCommandWith(UpdateEventBusCommand, {
      Name: NAME,
      LogConfig: { IncludeDetail: 'FULL', Level: 'TRACE' },
    });
  });

  it('turns logging off, with both members at their defaults, when the property is removed', async () => {
    // Prepare
    existing({ LogConfig: { IncludeDetail: 'FULL', Level: 'INFO' } });
    // Act
    await updateGithubEventBus(
      NAME,
      props(),
      props({ LogConfig: { IncludeDetail: 'FULL', Level: 'INFO' } }),
      context(),
    );
    // Assess
    const [call] = events.commandCalls(UpdateEventBusCommand);
    expect(call?.args[0].input).toEqual({ Name: NAME, LogConfig: { IncludeDetail: 'NONE', Level: 'OFF' } });
  });

  it('puts back logging changed out of band', async () => {
    // Prepare
    existing({ LogConfig: { IncludeDetail: 'FULL', Level: 'TRACE' } });
    const wanted = props({ LogConfig: { Level: 'ERROR' } });
    // Act
    await updateGithubEventBus(NAME, wanted, wanted, context());
    // Assess
    expect(events).toHaveReceivedCommandWith(UpdateEventBusCommand, {
      LogConfig: { IncludeDetail: 'NONE', Level: 'ERROR' },
    });
  });

  it('sends the wanted LogConfig along when only the description changes', async () => {
    // Prepare: whether UpdateEventBus keeps a member it is not sent is not documented.
    existing({ Description: 'old', LogConfig: { IncludeDetail: 'NONE', Level: 'ERROR' } });
    // Act
    await updateGithubEventBus(
      NAME,
      props({ Description: 'new', LogConfig: { Level: 'ERROR' } }),
      props({ Description: 'old', LogConfig: { Level: 'ERROR' } }),
      context(),
    );
    // Assess
    const [call] = events.commandCalls(UpdateEventBusCommand);
    expect(call?.args[0].input).toEqual({
      Name: NAME,
      Description: 'new',
      LogConfig: { IncludeDetail: 'NONE', Level: 'ERROR' },
    });
  });

  it('leaves the LogConfig of an adopted bus alone', async () => {
    // Prepare
    existing({ LogConfig: { IncludeDetail: 'FULL', Level: 'TRACE' } }, false);
    const adopting = props({ AdoptExisting: 'true', LogConfig: { Level: 'ERROR' } });
    // Act
    await updateGithubEventBus(NAME, adopting, props({ AdoptExisting: 'true' }), context());
    // Assess
    expect(events).not.toHaveReceivedCommand(UpdateEventBusCommand);
    expect(callNames().sort()).toEqual(['DescribeDiscoverer', 'DescribeEventBus']);
  });
});
