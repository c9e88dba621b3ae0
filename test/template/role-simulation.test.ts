import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { discovererIdFor } from '../../handler/resource/discoverer';
import { managedRuleName } from '../../handler/resource/event-bus';
import { ADOPTED_TAG, BUS_OWNED_TAG, ownerTags } from '../../handler/resource/ownership';
import { MANAGED_RULE_ACTIONS } from '../../scripts/lib/iam-managed-rule';
import { typeScriptFiles } from '../../scripts/lib/sdk-imports';
import { resolveProperties } from '../../scripts/lib/template-resource';
import { ACCOUNT, decide, deployedRolePolicies, type IamRequest, REGION, type TagMap } from '../support/iam-role';
import { FUNCTION_ID, HANDLER_DIR, loadTemplate, ROOT, TEMPLATE_PATH } from './helpers';

// The template's role evaluated by an IAM policy simulator (@cloud-copilot/iam-simulate): the requests each
// path of the handler makes are allowed, and what it must never do is refused. The integration test
// test/integration/iam-paths.test.ts runs the handler itself under the same policy.
const template = loadTemplate(TEMPLATE_PATH);
const policies = deployedRolePolicies(template, FUNCTION_ID);

const OTHER_REGION = 'us-west-2';
const OTHER_ACCOUNT = '210987654321';
const BUS = 'github-actions-event-bus';
const owned: TagMap = ownerTags({
  stackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/github-event-bus/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`,
  logicalId: 'GithubActionsEventBus',
});
const userTags: TagMap = { app: 'github-actions-runners' };
const adopted: TagMap = { ...owned, [BUS_OWNED_TAG]: 'false', [ADOPTED_TAG]: 'true' };
const someoneElses: TagMap = { team: 'payments', 'aws:cloudformation:stack-name': 'payments' };

const busArn = (name = BUS, region = REGION, account = ACCOUNT) =>
  `arn:aws:events:${region}:${account}:event-bus/${name}`;
const discovererArn = (id = discovererIdFor(BUS), region = REGION, account = ACCOUNT) =>
  `arn:aws:schemas:${region}:${account}:discoverer/${id}`;
const logGroupName = String(
  (resolveProperties(template, template.Resources.GithubEventBusLogGroup?.Properties) as { LogGroupName: string })
    .LogGroupName,
);
const logStreamArn = (group: string, region = REGION) =>
  `arn:aws:logs:${region}:${ACCOUNT}:log-group:${group}:log-stream:2026/11/29/[$LATEST]0123456789abcdef`;

const SCHEMAS_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/schemas.amazonaws.com/AWSServiceRoleForSchemas`;

const ruleArn = (bus: string | undefined, rule: string, region = REGION, account = ACCOUNT) =>
  `arn:aws:events:${region}:${account}:rule/${bus === undefined ? rule : `${bus}/${rule}`}`;

const request = (action: string, resource: string, rest: Partial<IamRequest> = {}): IamRequest => ({
  action,
  resource,
  region: resource.split(':')[3] || REGION,
  ...rest,
});

type Case = [string, IamRequest];

describe('the role allows every request of the handler’s paths', () => {
  const allowed: Case[] = [
    // Create: the bus and the discoverer with their tags (tag-on-create is authorized as TagResource too).
    [
      'create a bus with its tags',
      request('events:CreateEventBus', busArn(), { requestTags: { ...userTags, ...owned } }),
    ],
    [
      'tag the new bus at creation',
      request('events:TagResource', busArn(), { requestTags: { ...userTags, ...owned } }),
    ],
    [
      'create a discoverer with its tags',
      request('schemas:CreateDiscoverer', '*', {
        requestTags: { ...userTags, ...owned, [BUS_OWNED_TAG]: 'true' },
      }),
    ],
    [
      'tag the new discoverer at creation',
      request('schemas:TagResource', discovererArn(), {
        requestTags: { ...userTags, ...owned, [BUS_OWNED_TAG]: 'true' },
      }),
    ],
    [
      'tag the new discoverer at creation, authorized against "*"',
      request('schemas:TagResource', '*', { requestTags: { ...userTags, ...owned, [BUS_OWNED_TAG]: 'true' } }),
    ],
    [
      'stop discovery on the new discoverer',
      request('schemas:StopDiscoverer', discovererArn(), { resourceTags: owned }),
    ],
    // Reads, also of what is not ours: the ownership check and adoption.
    ['describe a bus that is not ours', request('events:DescribeEventBus', busArn(), { resourceTags: someoneElses })],
    ['describe an untagged bus', request('events:DescribeEventBus', busArn())],
    [
      'read the tags of a bus that is not ours',
      request('events:ListTagsForResource', busArn(), { resourceTags: someoneElses }),
    ],
    ['describe a discoverer that is not ours', request('schemas:DescribeDiscoverer', discovererArn())],
    // ListDiscoverers: the reference names the discoverer resource, AWS's managed policies grant it on "*".
    ['list the discoverers of a bus (on discoverer/*)', request('schemas:ListDiscoverers', discovererArn('*'))],
    ['list the discoverers of a bus (on "*")', request('schemas:ListDiscoverers', '*')],
    ['list the rules in the way of a delete', request('events:ListRules', '*')],
    // Update of an owned bus: settings and tags, user tags removed too.
    ['update an owned bus', request('events:UpdateEventBus', busArn(), { resourceTags: { ...owned, ...userTags } })],
    [
      'tag an owned bus',
      request('events:TagResource', busArn(), { resourceTags: owned, requestTags: { env: 'prod' } }),
    ],
    [
      'remove user tags from an owned bus',
      request('events:UntagResource', busArn(), { resourceTags: { ...owned, ...userTags }, tagKeys: ['app'] }),
    ],
    ['update an owned discoverer', request('schemas:UpdateDiscoverer', discovererArn(), { resourceTags: owned })],
    ['start an owned discoverer', request('schemas:StartDiscoverer', discovererArn(), { resourceTags: owned })],
    [
      'tag an owned discoverer',
      request('schemas:TagResource', discovererArn(), { resourceTags: owned, requestTags: { env: 'prod' } }),
    ],
    [
      'remove user tags from an owned discoverer',
      request('schemas:UntagResource', discovererArn(), { resourceTags: { ...owned, ...userTags }, tagKeys: ['app'] }),
    ],
    // Delete, and the undo of a failed Create: only what carries the ownership tags.
    ['delete an owned discoverer', request('schemas:DeleteDiscoverer', discovererArn(), { resourceTags: owned })],
    // Adoption (AdoptExisting): our tags on a discoverer someone made, then it is managed; the Delete hands it back.
    [
      'tag a discoverer someone else made with the ownership and adoption tags',
      request('schemas:TagResource', discovererArn(), {
        resourceTags: someoneElses,
        requestTags: { ...owned, [BUS_OWNED_TAG]: 'false', [ADOPTED_TAG]: 'true' },
      }),
    ],
    [
      'start an adopted discoverer',
      request('schemas:StartDiscoverer', discovererArn(), { resourceTags: { ...someoneElses, ...adopted } }),
    ],
    [
      'hand an adopted discoverer back: all our tags off in one call',
      request('schemas:UntagResource', discovererArn(), {
        resourceTags: { ...someoneElses, ...adopted },
        tagKeys: Object.keys(adopted),
      }),
    ],
    ['delete an owned bus', request('events:DeleteEventBus', busArn(), { resourceTags: { ...owned, ...userTags } })],
    // Lambda writing the function's logs, and the account's first discoverer.
    ['create a log stream in the stack’s log group', request('logs:CreateLogStream', logStreamArn(logGroupName))],
    ['put log events in the stack’s log group', request('logs:PutLogEvents', logStreamArn(logGroupName))],
    [
      'create the Schemas service-linked role',
      request('iam:CreateServiceLinkedRole', SCHEMAS_ROLE_ARN, {
        context: { 'iam:AWSServiceName': 'schemas.amazonaws.com' },
      }),
    ],
  ];

  it.each(allowed)('%s', async (_name, iamRequest) => {
    // Act
    const decision = await decide(policies, iamRequest);

    // Assess
    expect(decision).toBe('Allowed');
  });
});

// Schemas' own CloudFormation handlers need these on the discoverer's managed rule (the registry schema of
// AWS::EventSchemas::Discoverer); if Schemas checks its caller for them, CreateDiscoverer and DeleteDiscoverer do too.
describe('the role allows Schemas’ work on the discoverer’s managed rule, and on no other rule', () => {
  const managed = managedRuleName(BUS);
  const onManagedRule: Case[] = MANAGED_RULE_ACTIONS.flatMap((action): Case[] => [
    [`${action} on the managed rule of a custom bus`, request(action, ruleArn(BUS, managed))],
    [
      `${action} on the managed rule of another bus of the account`,
      request(action, ruleArn('payments', managedRuleName('payments'))),
    ],
    [`${action} on the managed rule in the ARN form of the default bus`, request(action, ruleArn(undefined, managed))],
    [
      `${action} on the default bus’s own managed rule`,
      request(action, ruleArn(undefined, managedRuleName('default'))),
    ],
  ]);
  const onOtherRules: Case[] = MANAGED_RULE_ACTIONS.flatMap((action): Case[] => [
    [`${action} on rule/runners/queued-jobs`, request(action, ruleArn('runners', 'queued-jobs'))],
    [`${action} on a rule of the provider’s own bus`, request(action, ruleArn(BUS, 'runner-queued'))],
    [`${action} on another bus’s rule`, request(action, ruleArn('payments', 'payments-to-sqs'))],
    [`${action} on a rule of the default bus`, request(action, ruleArn(undefined, 'nightly-report'))],
    [`${action} on a rule that only mentions Schemas`, request(action, ruleArn(BUS, `copy-of-${managed}`))],
    [`${action} on the managed rule in another region`, request(action, ruleArn(BUS, managed, OTHER_REGION))],
    [`${action} on the managed rule in another account`, request(action, ruleArn(BUS, managed, REGION, OTHER_ACCOUNT))],
  ]);

  it.each(onManagedRule)('allows %s', async (_name, iamRequest) => {
    // Act
    const decision = await decide(policies, iamRequest);

    // Assess
    expect(decision).toBe('Allowed');
  });

  it.each(onOtherRules)('refuses %s', async (_name, iamRequest) => {
    // Act
    const decision = await decide(policies, iamRequest);

    // Assess
    expect(decision).toBe('ImplicitlyDenied');
  });
});

describe('the tags of a new discoverer, authorized against "*"', () => {
  const refusedOnAny: Case[] = [
    ['TagResource without the ownership tags', request('schemas:TagResource', '*', { requestTags: userTags })],
    [
      'TagResource with only one of the two ownership tags',
      request('schemas:TagResource', '*', {
        requestTags: { [Object.keys(owned)[1] as string]: Object.values(owned)[1] as string },
      }),
    ],
    [
      'TagResource naming a stack of another account',
      request('schemas:TagResource', '*', {
        requestTags: {
          ...owned,
          [Object.keys(owned)[0] as string]: `arn:aws:cloudformation:${REGION}:${OTHER_ACCOUNT}:stack/x/y`,
        },
      }),
    ],
    [
      'TagResource in another region',
      request('schemas:TagResource', '*', { region: OTHER_REGION, requestTags: owned }),
    ],
    ['UntagResource', request('schemas:UntagResource', '*', { tagKeys: ['app'] })],
    ['UpdateDiscoverer', request('schemas:UpdateDiscoverer', '*')],
    ['DeleteDiscoverer', request('schemas:DeleteDiscoverer', '*')],
    ['StopDiscoverer', request('schemas:StopDiscoverer', '*')],
    ['StartDiscoverer', request('schemas:StartDiscoverer', '*')],
    [
      'TagResource without the ownership tags on an untagged discoverer',
      request('schemas:TagResource', discovererArn(), { requestTags: userTags }),
    ],
  ];

  it('are allowed with the ownership tags in the request', async () => {
    // Act
    const decision = await decide(policies, request('schemas:TagResource', '*', { requestTags: { ...owned } }));

    // Assess
    expect(decision).toBe('Allowed');
  });

  it.each(refusedOnAny)('refuse %s', async (_name, iamRequest) => {
    // Act
    const decision = await decide(policies, iamRequest);

    // Assess
    expect(decision).toBe('ImplicitlyDenied');
  });
});

describe('the role refuses', () => {
  const refused: Case[] = [
    // An adopted discoverer: handed back, never deleted, and never unmarked while it is ours.
    [
      'DeleteDiscoverer on an adopted discoverer',
      request('schemas:DeleteDiscoverer', discovererArn(), { resourceTags: { ...someoneElses, ...adopted } }),
    ],
    [
      'DeleteDiscoverer on an adopted discoverer whose mark says false',
      request('schemas:DeleteDiscoverer', discovererArn(), { resourceTags: { ...adopted, [ADOPTED_TAG]: 'false' } }),
    ],
    [
      'UntagResource of the adoption mark alone',
      request('schemas:UntagResource', discovererArn(), { resourceTags: adopted, tagKeys: [ADOPTED_TAG] }),
    ],
    [
      'UntagResource of the adoption mark with the logical id but not the stack id',
      request('schemas:UntagResource', discovererArn(), {
        resourceTags: adopted,
        tagKeys: [ADOPTED_TAG, 'github-event-bus:logical-id'],
      }),
    ],
    // What it did not create.
    ['DeleteEventBus on an untagged bus', request('events:DeleteEventBus', busArn())],
    ['UpdateEventBus on an untagged bus', request('events:UpdateEventBus', busArn())],
    ['UntagResource on an untagged bus', request('events:UntagResource', busArn(), { tagKeys: ['app'] })],
    [
      'DeleteEventBus on a bus with someone else’s tags',
      request('events:DeleteEventBus', busArn(), { resourceTags: someoneElses }),
    ],
    [
      'TagResource without the ownership tags on a bus that is not ours',
      request('events:TagResource', busArn(), { resourceTags: someoneElses, requestTags: { app: 'x' } }),
    ],
    [
      'DeleteEventBus on a bus that names a stack of another account',
      request('events:DeleteEventBus', busArn(), {
        resourceTags: {
          ...owned,
          [Object.keys(owned)[0] as string]: `arn:aws:cloudformation:${REGION}:${OTHER_ACCOUNT}:stack/x/y`,
        },
      }),
    ],
    [
      'DeleteEventBus on a bus with only one of the two ownership tags',
      request('events:DeleteEventBus', busArn(), {
        resourceTags: { [Object.keys(owned)[0] as string]: Object.values(owned)[0] as string },
      }),
    ],
    ['DeleteDiscoverer on an untagged discoverer', request('schemas:DeleteDiscoverer', discovererArn())],
    ['StopDiscoverer on an untagged discoverer', request('schemas:StopDiscoverer', discovererArn())],
    ['UpdateDiscoverer on an untagged discoverer', request('schemas:UpdateDiscoverer', discovererArn())],
    ['StartDiscoverer on an untagged discoverer', request('schemas:StartDiscoverer', discovererArn())],
    [
      'UntagResource on an untagged discoverer',
      request('schemas:UntagResource', discovererArn(), { tagKeys: ['app'] }),
    ],
    // Creating without the ownership tags.
    [
      'CreateEventBus without the ownership tags',
      request('events:CreateEventBus', busArn(), { requestTags: userTags }),
    ],
    ['CreateEventBus without any tags', request('events:CreateEventBus', busArn())],
    [
      'CreateDiscoverer without the ownership tags',
      request('schemas:CreateDiscoverer', '*', { requestTags: userTags }),
    ],
    // Another region or account, even with the ownership tags.
    [
      'CreateEventBus in another region',
      request('events:CreateEventBus', busArn(BUS, OTHER_REGION), { requestTags: owned }),
    ],
    [
      'DeleteEventBus in another region',
      request('events:DeleteEventBus', busArn(BUS, OTHER_REGION), { resourceTags: owned }),
    ],
    ['DescribeEventBus in another region', request('events:DescribeEventBus', busArn(BUS, OTHER_REGION))],
    [
      'CreateDiscoverer in another region',
      request('schemas:CreateDiscoverer', '*', { region: OTHER_REGION, requestTags: owned }),
    ],
    [
      'DeleteDiscoverer in another region',
      request('schemas:DeleteDiscoverer', discovererArn(discovererIdFor(BUS), OTHER_REGION), { resourceTags: owned }),
    ],
    ['ListRules in another region', request('events:ListRules', '*', { region: OTHER_REGION })],
    [
      'DeleteEventBus in another account',
      request('events:DeleteEventBus', busArn(BUS, REGION, OTHER_ACCOUNT), { resourceTags: owned }),
    ],
    ['DescribeEventBus in another account', request('events:DescribeEventBus', busArn(BUS, REGION, OTHER_ACCOUNT))],
    [
      'DeleteDiscoverer in another account',
      request('schemas:DeleteDiscoverer', discovererArn(discovererIdFor(BUS), REGION, OTHER_ACCOUNT), {
        resourceTags: owned,
      }),
    ],
    // What the provider never does, even on its own bus.
    ['PutEvents on an owned bus', request('events:PutEvents', busArn(), { resourceTags: owned })],
    [
      'PutRule on an owned bus',
      request('events:PutRule', `arn:aws:events:${REGION}:${ACCOUNT}:rule/${BUS}/a-rule`, { requestTags: owned }),
    ],
    ['ListDiscoverers in another region', request('schemas:ListDiscoverers', '*', { region: OTHER_REGION })],
    ['PutPermission on the account’s buses', request('events:PutPermission', '*')],
    [
      'DeleteSchema of a discovered schema',
      request(
        'schemas:DeleteSchema',
        `arn:aws:schemas:${REGION}:${ACCOUNT}:schema/discovered-schemas/github.com@workflow_job`,
      ),
    ],
    // Logs: no log group of its own making, no other group.
    [
      'CreateLogGroup for the stack’s log group',
      request('logs:CreateLogGroup', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${logGroupName}`),
    ],
    ['CreateLogGroup anywhere', request('logs:CreateLogGroup', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:*`)],
    ['PutLogEvents to another log group', request('logs:PutLogEvents', logStreamArn('/aws/lambda/another-function'))],
    [
      'PutLogEvents to a log group whose name extends the stack’s',
      request('logs:PutLogEvents', logStreamArn(`${logGroupName}-other`)),
    ],
    [
      'PutLogEvents to the stack’s log group name in another region',
      request('logs:PutLogEvents', logStreamArn(logGroupName, OTHER_REGION)),
    ],
    [
      'CreateLogStream in another log group',
      request('logs:CreateLogStream', logStreamArn('/aws/lambda/another-function')),
    ],
    // No role but the Schemas service-linked one.
    [
      'CreateServiceLinkedRole for another service',
      request(
        'iam:CreateServiceLinkedRole',
        `arn:aws:iam::${ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`,
        {
          context: { 'iam:AWSServiceName': 'ecs.amazonaws.com' },
        },
      ),
    ],
  ];

  it.each(refused)('%s', async (_name, iamRequest) => {
    // Act
    const decision = await decide(policies, iamRequest);

    // Assess
    expect(decision).toBe('ImplicitlyDenied');
  });
});

describe('what IAM cannot tell apart', () => {
  // EventBridge and Schemas authorize the tags of CreateEventBus / CreateDiscoverer as TagResource on the new
  // resource, and neither has a key like ec2:CreateAction to tell that from TagResource on an existing one.
  it('allows TagResource that adds the ownership tags to an untagged bus, as it must at creation', async () => {
    // Act
    const decision = await decide(policies, request('events:TagResource', busArn(), { requestTags: owned }));

    // Assess
    expect(decision).toBe('Allowed');
  });

  // The tags of CreateDiscoverer may be authorized against "*", which also matches a registry or schema: the
  // ownership tags can be added to one, and they grant nothing there (no statement names a registry or schema).
  it('allows TagResource with the ownership tags on a schema registry, where they grant nothing', async () => {
    // Prepare
    const registry = `arn:aws:schemas:${REGION}:${ACCOUNT}:registry/discovered-schemas`;

    // Act
    const tagging = await decide(policies, request('schemas:TagResource', registry, { requestTags: owned }));
    const deleting = await decide(policies, request('schemas:DeleteRegistry', registry, { resourceTags: owned }));

    // Assess
    expect([tagging, deleting]).toEqual(['Allowed', 'ImplicitlyDenied']);
  });

  // IAM's * also matches "/", so the default-bus form rule/Schemas-events-event-bus-* also names the rules of a custom
  // bus whose own name starts with Schemas-events-event-bus-.
  it('allows the managed-rule actions on any rule of a bus named like a managed rule', async () => {
    // Act
    const decision = await decide(policies, request('events:DeleteRule', ruleArn(managedRuleName('x'), 'queued-jobs')));

    // Assess
    expect(decision).toBe('Allowed');
  });
});

describe('the simulator', () => {
  it('stays a devDependency the handler never imports (AGPL-3.0, not for the bundle)', () => {
    // Prepare
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };

    // Act
    const importers = typeScriptFiles(HANDLER_DIR).filter((file) =>
      readFileSync(file, 'utf8').includes('@cloud-copilot/'),
    );

    // Assess
    expect(Object.keys(manifest.dependencies)).not.toContain('@cloud-copilot/iam-simulate');
    expect(Object.keys(manifest.devDependencies)).toContain('@cloud-copilot/iam-simulate');
    expect(importers).toEqual([]);
  });
});
