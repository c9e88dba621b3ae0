import { InvalidPropertiesError } from '../../../handler/resource/errors';
import { type Properties, parseProperties } from '../../../handler/resource/properties';
import { EVENT_BUS_NAME, SERVICE_TOKEN } from '../../fixtures/events';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:github-events-dlq';

/** ResourceProperties as CloudFormation sends them: the ServiceToken, the EventBusName, then `extra`. */
const raw = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  ServiceToken: SERVICE_TOKEN,
  EventBusName: EVENT_BUS_NAME,
  ...extra,
});

/** The InvalidPropertiesError parseProperties throws for `input`; fails the test if it throws none. */
const rejectionOf = (input: unknown): InvalidPropertiesError => {
  try {
    parseProperties(input);
  } catch (error) {
    if (error instanceof InvalidPropertiesError) return error;
    throw error;
  }
  throw new Error(`parseProperties accepted ${JSON.stringify(input)}`);
};

const tags = (count: number) => Array.from({ length: count }, (_, i) => ({ Key: `key-${i}`, Value: `value-${i}` }));

describe('parseProperties', () => {
  describe('accepts', () => {
    it('the EventBusName alone, with every other property at its default', () => {
      // Prepare
      const input = raw();

      // Act
      const properties = parseProperties(input);

      // Assess
      expect(properties).toEqual<Properties>({
        eventBusName: EVENT_BUS_NAME,
        description: undefined,
        discovererDescription: `Schema discoverer for events on ${EVENT_BUS_NAME} event bus`,
        discovererState: 'STARTED',
        crossAccount: true,
        deadLetterArn: undefined,
        tags: [],
        adoptExisting: false,
      });
    });

    it.each([
      ['one character', 'b'],
      ['256 characters', 'b'.repeat(256)],
      ['letters, digits, dot, underscore and hyphen', 'My.bus_name-01'],
    ])('an EventBusName of %s', (_, name) => {
      // Prepare
      const input = raw({ EventBusName: name });

      // Act
      const properties = parseProperties(input);

      // Assess
      expect(properties.eventBusName).toBe(name);
    });

    it.each([['512 characters', 'd'.repeat(512)]])('a Description that is %s', (_, description) => {
      // Prepare
      const input = raw({ Description: description });

      // Act
      const properties = parseProperties(input);

      // Assess
      expect(properties.description).toBe(description);
    });

    it('an empty Description as no description, the way AWS reports one', () => {
      // Act
      const properties = parseProperties(raw({ Description: '' }));

      // Assess
      expect(properties.description).toBeUndefined();
      expect(properties).toEqual(parseProperties(raw({})));
    });

    it('an empty DiscovererDescription as absent: the default description', () => {
      // Act
      const properties = parseProperties(raw({ EventBusName: 'orders', DiscovererDescription: '' }));

      // Assess
      expect(properties.discovererDescription).toBe('Schema discoverer for events on orders event bus');
    });

    it('a DiscovererDescription of 256 characters', () => {
      // Prepare
      const input = raw({ DiscovererDescription: 'd'.repeat(256) });

      // Act
      const properties = parseProperties(input);

      // Assess
      expect(properties.discovererDescription).toBe('d'.repeat(256));
    });

    it('no DiscovererDescription, defaulting to one naming the bus', () => {
      // Prepare
      const input = raw({ EventBusName: 'orders' });

      // Act
      const properties = parseProperties(input);

      // Assess
      expect(properties.discovererDescription).toBe('Schema discoverer for events on orders event bus');
    });

    it('no DiscovererDescription for a long bus name, defaulting to one of at most 256 characters', () => {
      // Prepare
      const input = raw({ EventBusName: 'b'.repeat(256) });

      // Act
      const properties = parseProperties(input);

      // Assess
      expect(properties.discovererDescription).toHaveLength(256);
      expect(properties.discovererDescription.startsWith('Schema discoverer for events on bbb')).toBe(true);
    });

    it.each(['STARTED', 'STOPPED'] as const)('DiscovererState %s', (state) => {
      // Prepare
      const input = raw({ DiscovererState: state });

      // Act
      const properties = parseProperties(input);

      // Assess
      expect(properties.discovererState).toBe(state);
    });

    it.each([
      ['"true"', 'true', true],
      ['"false"', 'false', false],
      ['true', true, true],
      ['false', false, false],
    ])('CrossAccount %s', (_, value, expected) => {
      // Prepare
      const input = raw({ CrossAccount: value });

      // Act
      const properties = parseProperties(input);

      // Assess
      expect(properties.crossAccount).toBe(expected);
    });

    it.each([
      ['"true"', 'true', true],
      ['"false"', 'false', false],
      ['true', true, true],
      ['false', false, false],
    ])('AdoptExisting %s', (_, value, expected) => {
      // Prepare
      const input = raw({ AdoptExisting: value });

      // Act
      const properties = parseProperties(input);

      // Assess
      expect(properties.adoptExisting).toBe(expected);
    });

    it.each([
      ['a standard queue', QUEUE_ARN],
      ['a FIFO queue', 'arn:aws:sqs:eu-west-1:123456789012:dlq.fifo'],
      ['a queue in another partition', 'arn:aws-cn:sqs:cn-north-1:123456789012:dlq'],
      ['a queue with a name of 80 characters', `arn:aws:sqs:us-east-1:123456789012:${'q'.repeat(80)}`],
    ])('a DeadLetterConfig with the ARN of %s', (_, arn) => {
      // Prepare
      const input = raw({ DeadLetterConfig: { Arn: arn } });

      // Act
      const properties = parseProperties(input);

      // Assess
      expect(properties.deadLetterArn).toBe(arn);
    });

    it.each([
      ['an empty list', []],
      ['one tag', [{ Key: 'team', Value: 'ci' }]],
      ['a tag with an empty value', [{ Key: 'team', Value: '' }]],
      ['a tag with a Key of one character', [{ Key: 'k', Value: 'ci' }]],
      ['a tag with a Key of 128 characters', [{ Key: 'k'.repeat(128), Value: 'ci' }]],
      ['a tag with a Value of 256 characters', [{ Key: 'team', Value: 'v'.repeat(256) }]],
      ['a tag whose Key only contains aws: later on', [{ Key: 'team:aws:', Value: 'ci' }]],
      ['46 tags', tags(46)],
    ])('Tags that are %s', (_, list) => {
      // Prepare
      const input = raw({ Tags: list });

      // Act
      const properties = parseProperties(input);

      // Assess
      expect(properties.tags).toEqual(list);
    });

    it.each([
      ['ServiceToken', SERVICE_TOKEN],
      ['ServiceTimeout', '300'],
    ])('%s, which CloudFormation sets', (property, value) => {
      // Prepare
      const input = raw({ [property]: value });

      // Act
      const parse = () => parseProperties(input);

      // Assess
      expect(parse).not.toThrow();
    });
  });

  describe('refuses, naming the property,', () => {
    it.each<[string, string, Record<string, unknown>]>([
      ['a missing EventBusName', 'EventBusName is required', { EventBusName: undefined }],
      ['an empty EventBusName', 'EventBusName', { EventBusName: '' }],
      ['an EventBusName of 257 characters', 'EventBusName', { EventBusName: 'b'.repeat(257) }],
      ['an EventBusName with a /', 'EventBusName', { EventBusName: 'aws.partner/bus' }],
      ['an EventBusName with a space', 'EventBusName', { EventBusName: 'my bus' }],
      ['an EventBusName that is not a string', 'EventBusName', { EventBusName: 42 }],
      ['the EventBusName default', 'EventBusName must not be "default"', { EventBusName: 'default' }],
      ['a Description of 513 characters', 'Description', { Description: 'd'.repeat(513) }],
      ['a Description that is not a string', 'Description', { Description: 5 }],
      [
        'a DiscovererDescription of 257 characters',
        'DiscovererDescription',
        { DiscovererDescription: 'd'.repeat(257) },
      ],
      ['a DiscovererDescription that is not a string', 'DiscovererDescription', { DiscovererDescription: {} }],
      ['a DiscovererState in lower case', 'DiscovererState', { DiscovererState: 'started' }],
      ['an unknown DiscovererState', 'DiscovererState', { DiscovererState: 'RUNNING' }],
      ['a DiscovererState that is a boolean', 'DiscovererState', { DiscovererState: true }],
      ['CrossAccount "yes"', 'CrossAccount', { CrossAccount: 'yes' }],
      ['CrossAccount "TRUE"', 'CrossAccount', { CrossAccount: 'TRUE' }],
      ['CrossAccount 1', 'CrossAccount', { CrossAccount: 1 }],
      ['an empty CrossAccount', 'CrossAccount', { CrossAccount: '' }],
      ['AdoptExisting "no"', 'AdoptExisting', { AdoptExisting: 'no' }],
      ['AdoptExisting 0', 'AdoptExisting', { AdoptExisting: 0 }],
      ['a DeadLetterConfig that is an ARN, not { Arn }', 'DeadLetterConfig', { DeadLetterConfig: QUEUE_ARN }],
      ['a DeadLetterConfig that is a list', 'DeadLetterConfig', { DeadLetterConfig: [{ Arn: QUEUE_ARN }] }],
      ['a DeadLetterConfig without Arn', 'DeadLetterConfig.Arn', { DeadLetterConfig: {} }],
      [
        'a DeadLetterConfig with the ARN of an SNS topic',
        'DeadLetterConfig.Arn',
        { DeadLetterConfig: { Arn: 'arn:aws:sns:us-east-1:123456789012:topic' } },
      ],
      [
        'a DeadLetterConfig with a malformed account id',
        'DeadLetterConfig.Arn',
        { DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:1234:dlq' } },
      ],
      [
        'a DeadLetterConfig with text before the ARN',
        'DeadLetterConfig.Arn',
        { DeadLetterConfig: { Arn: ` ${QUEUE_ARN}` } },
      ],
      [
        'a DeadLetterConfig with text after the ARN',
        'DeadLetterConfig.Arn',
        { DeadLetterConfig: { Arn: `${QUEUE_ARN}/x` } },
      ],
      [
        'a DeadLetterConfig with the ARN of a queue named longer than 80 characters',
        'DeadLetterConfig.Arn',
        { DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:123456789012:${'q'.repeat(81)}` } },
      ],
      [
        'a DeadLetterConfig with an unknown property',
        'DeadLetterConfig has unknown properties: RoleArn',
        { DeadLetterConfig: { Arn: QUEUE_ARN, RoleArn: 'arn:aws:iam::123456789012:role/r' } },
      ],
      ['Tags that are not a list', 'Tags must be a list', { Tags: { Key: 'team', Value: 'ci' } }],
      ['Tags that are a string', 'Tags must be a list', { Tags: 'team=ci' }],
      ['a tag that is not an object', 'Tags[0]', { Tags: ['team'] }],
      ['a tag without a Key', 'Tags[0].Key', { Tags: [{ Value: 'ci' }] }],
      ['a tag with an empty Key', 'Tags[0].Key', { Tags: [{ Key: '', Value: 'ci' }] }],
      ['a tag with a Key of 129 characters', 'Tags[0].Key', { Tags: [{ Key: 'k'.repeat(129), Value: 'ci' }] }],
      ['a tag without a Value', 'Tags[0].Value', { Tags: [{ Key: 'team' }] }],
      ['a tag with a Value that is not a string', 'Tags[1].Value', { Tags: [...tags(1), { Key: 'n', Value: 1 }] }],
      ['a tag with a Value of 257 characters', 'Tags[0].Value', { Tags: [{ Key: 'team', Value: 'v'.repeat(257) }] }],
      [
        'a tag with an unknown property',
        'Tags[0] has unknown properties: Extra',
        { Tags: [{ Key: 'team', Value: 'ci', Extra: 1 }] },
      ],
      [
        'tags with duplicate keys',
        'Tags has duplicate keys: team',
        {
          Tags: [
            { Key: 'team', Value: 'a' },
            { Key: 'team', Value: 'b' },
          ],
        },
      ],
      ['a tag with the reserved prefix aws:', 'Tags[0].Key', { Tags: [{ Key: 'aws:cloudformation:x', Value: 'v' }] }],
      ['a tag with the reserved prefix in capitals, AWS:', 'Tags[0].Key', { Tags: [{ Key: 'AWS:x', Value: 'v' }] }],
      ['a tag with the reserved prefix in mixed case, Aws:', 'Tags[0].Key', { Tags: [{ Key: 'Aws:x', Value: 'v' }] }],
      [
        'a tag with the reserved prefix github-event-bus:',
        'Tags[0].Key',
        { Tags: [{ Key: 'github-event-bus:stack-id', Value: 'v' }] },
      ],
      ['47 tags', 'Tags may hold at most 46 tags', { Tags: tags(47) }],
      ['an unknown property', '"Foo" is not a property', { Foo: 'bar' }],
      ['a property spelled in the wrong case', '"eventBusName" is not a property', { eventBusName: 'b' }],
    ])('%s', (_, named, extra) => {
      // Prepare
      const input = raw(extra);
      for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];

      // Act
      const error = rejectionOf(input);

      // Assess
      expect(error.problems).toHaveLength(1);
      expect(error.message).toContain(named);
    });

    it('an unknown property named by emoji, cut between characters, never inside one', () => {
      // Prepare: 60 emoji are 120 UTF-16 units; a cut at 80 units of the quoted name would be fine, at 81 would not
      const key = '\u{1F600}'.repeat(60);
      const input = raw({ [key]: 'x' });

      // Act
      const error = rejectionOf(input);

      // Assess: every surrogate is paired (a lone one would not survive a UTF-8 round trip)
      const [problem = ''] = error.problems;
      expect(problem).toMatch(/is not a property/);
      expect(Buffer.from(problem, 'utf8').toString('utf8')).toBe(problem);
    });

    it('KmsKeyIdentifier, saying schema discovery does not support a customer managed key', () => {
      // Prepare
      const input = raw({ KmsKeyIdentifier: 'alias/my-key' });

      // Act
      const error = rejectionOf(input);

      // Assess
      expect(error.problems).toEqual([expect.stringMatching(/^KmsKeyIdentifier .*customer managed key/)]);
    });

    it.each([
      ['null', null],
      ['a list', [raw()]],
      ['a string', 'EventBusName=b'],
      ['undefined', undefined],
    ])('ResourceProperties that are %s', (_, input) => {
      // Prepare: the input itself

      // Act
      const error = rejectionOf(input);

      // Assess
      expect(error.message).toContain('ResourceProperties must be an object');
    });

    it('an EventBusName inherited rather than given', () => {
      // Prepare
      const input = Object.create({ EventBusName: EVENT_BUS_NAME });

      // Act
      const error = rejectionOf(input);

      // Assess
      expect(error.problems).toEqual(['EventBusName is required']);
    });
  });

  describe('says what it got instead', () => {
    it.each<[string, unknown, string]>([
      ['a short string, quoted', 'd'.repeat(40), `"${'d'.repeat(40)}"`],
      ['a long string, by its length', 'd'.repeat(41), 'a string of 41 characters'],
      ['a list', ['a'], 'a list'],
      ['null', null, 'null'],
      ['an object', { a: 1 }, 'an object'],
      ['a number', 42, 'number 42'],
      ['a boolean', true, 'boolean true'],
    ])('%s', (_, value, said) => {
      // Prepare
      const input = raw({ DiscovererState: value });

      // Act
      const error = rejectionOf(input);

      // Assess
      expect(error.problems).toEqual([`DiscovererState must be STARTED or STOPPED, got ${said}`]);
    });

    it('names the unknown keys of a tag and of DeadLetterConfig', () => {
      // Prepare
      const input = raw({
        Tags: [{ Key: 'team', Value: 'ci', Colour: 'blue', Size: 1 }],
        DeadLetterConfig: { Arn: QUEUE_ARN, RoleArn: 'r', Region: 'us-east-1' },
      });

      // Act
      const error = rejectionOf(input);

      // Assess
      expect(error.problems).toEqual([
        'DeadLetterConfig has unknown properties: RoleArn, Region',
        'Tags[0] has unknown properties: Colour, Size',
      ]);
    });

    it('names each duplicate tag key once', () => {
      // Prepare
      const input = raw({ Tags: ['a', 'a', 'a', 'b', 'b', 'c'].map((Key) => ({ Key, Value: 'v' })) });

      // Act
      const error = rejectionOf(input);

      // Assess
      expect(error.problems).toEqual(['Tags has duplicate keys: a, b']);
    });

    it('quotes at most 80 characters of an unknown property name', () => {
      // Prepare
      const input = raw({ ['x'.repeat(200)]: 'v' });

      // Act
      const error = rejectionOf(input);

      // Assess
      expect(error.problems).toEqual([`"${'x'.repeat(79)} is not a property of Custom::GithubEventBus`]);
    });

    it('reads no further than one tag past the limit, so a huge list gives a short reason', () => {
      // Prepare
      const input = raw({ Tags: Array.from({ length: 500 }, () => 'not a tag') });

      // Act
      const error = rejectionOf(input);

      // Assess
      expect(error.problems).toHaveLength(1 + 47);
      expect(error.message).toContain('Tags[46]');
      expect(error.message).not.toContain('Tags[47]');
    });
  });

  it('throws one InvalidPropertiesError naming every bad property at once', () => {
    // Prepare
    const input = raw({
      EventBusName: 'default',
      Description: 5,
      CrossAccount: 'yes',
      Tags: [{ Key: 'aws:x', Value: 'v' }],
      Foo: 1,
    });

    // Act
    const error = rejectionOf(input);

    // Assess
    expect(error.name).toBe('InvalidPropertiesError');
    expect(error.problems).toHaveLength(5);
    for (const named of ['EventBusName', 'Description', 'CrossAccount', 'Tags[0].Key', '"Foo"']) {
      expect(error.message).toContain(named);
    }
  });

  describe('with keys that reach for a prototype', () => {
    afterEach(() => {
      delete (Object.prototype as Record<string, unknown>).polluted;
    });

    it('refuses a __proto__ property, naming it', () => {
      // Prepare
      const input = JSON.parse(`{"EventBusName": "b", "__proto__": {"polluted": "yes"}}`);

      // Act
      const error = rejectionOf(input);

      // Assess
      expect(error.problems).toEqual(['"__proto__" is not a property of Custom::GithubEventBus']);
    });

    it('refuses a constructor property, naming it', () => {
      // Prepare
      const input = raw({ constructor: { prototype: { polluted: 'yes' } } });

      // Act
      const error = rejectionOf(input);

      // Assess
      expect(error.problems).toEqual(['"constructor" is not a property of Custom::GithubEventBus']);
    });

    it.each([
      ['at the top', `{"EventBusName": "b", "__proto__": {"polluted": "yes"}}`],
      ['in DeadLetterConfig', `{"EventBusName": "b", "DeadLetterConfig": {"__proto__": {"polluted": "yes"}}}`],
      ['in a tag', `{"EventBusName": "b", "Tags": [{"Key": "k", "Value": "v", "__proto__": {"polluted": "yes"}}]}`],
    ])('pollutes no prototype with a __proto__ key %s', (_, json) => {
      // Prepare
      const input = JSON.parse(json);

      // Act
      rejectionOf(input);

      // Assess
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('does not read a DeadLetterConfig Arn given through __proto__', () => {
      // Prepare
      const input = JSON.parse(`{"EventBusName": "b", "DeadLetterConfig": {"__proto__": {"Arn": "${QUEUE_ARN}"}}}`);

      // Act
      const error = rejectionOf(input);

      // Assess
      expect(error.message).toContain('DeadLetterConfig has unknown properties: __proto__');
      expect(error.message).toContain('DeadLetterConfig.Arn must be the ARN of an SQS queue');
    });

    it('does not read a tag Key and Value given through __proto__', () => {
      // Prepare
      const input = JSON.parse(`{"EventBusName": "b", "Tags": [{"__proto__": {"Key": "k", "Value": "v"}}]}`);

      // Act
      const error = rejectionOf(input);

      // Assess
      expect(error.message).toContain('Tags[0].Key must be a string');
    });
  });
});
