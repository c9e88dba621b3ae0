import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkManagedRuleScope, MANAGED_RULE_ACTIONS } from '../../scripts/lib/iam-managed-rule';
import {
  checkLogging,
  checkResourceScoping,
  checkServiceLinkedRole,
  checkStatementShapes,
  compareActions,
  functionPolicy,
  grantedActions,
  type Statement,
} from '../../scripts/lib/iam-policy-checks';
import { requiredActions, scanDirectory } from '../../scripts/lib/sdk-iam-actions';
import { clone, FUNCTION_ID, HANDLER_DIR, loadTemplate, ROOT, TEMPLATE_PATH } from './helpers';

const template = loadTemplate(TEMPLATE_PATH);
const { statements } = functionPolicy(template, FUNCTION_ID);

/** The function's statements after `edit` has changed a copy of the statement with `sid`. */
const edited = (sid: string, edit: (raw: Record<string, unknown>) => void): Statement[] => {
  const copy = clone(template);
  const { statements: copied } = functionPolicy(copy, FUNCTION_ID);
  const target = copied.find((statement) => statement.sid === sid);
  if (!target) throw new Error(`no statement ${sid}`);
  edit(target.raw);
  return functionPolicy(copy, FUNCTION_ID).statements;
};

describe('function policy against the handler source', () => {
  // Derived, not listed: the SDK commands imported anywhere under handler/.
  const scan = () => scanDirectory(HANDLER_DIR, ROOT);

  it('finds every SDK call of the handler in a form it can read', () => {
    // Act
    const { unsupported } = scan();

    // Assess
    expect(unsupported).toEqual([]);
  });

  it('finds EventBridge and Schemas commands in the handler at all', () => {
    // Act
    const modules = new Set(scan().operations.map(({ module }) => module));

    // Assess
    expect([...modules].sort()).toEqual(['@aws-sdk/client-eventbridge', '@aws-sdk/client-schemas']);
  });

  it('grants every action the handler needs', () => {
    // Act
    const { missing } = compareActions(grantedActions(statements), requiredActions(scan().operations));

    // Assess
    expect(missing).toEqual([]);
  });

  it('grants no action the handler does not need, but the service-linked role, log writes and managed rule', () => {
    // Act
    const { extra } = compareActions(grantedActions(statements), requiredActions(scan().operations));

    // Assess
    expect(extra).toEqual([]);
  });
});

describe('function policy shape', () => {
  it('is the inline policy of a role the template declares: no generated role, managed policies or SAM templates', () => {
    // Act
    const { roleId, problems } = functionPolicy(template, FUNCTION_ID);

    // Assess
    expect(problems).toEqual([]);
    expect(roleId).toBe(`${FUNCTION_ID}Role`);
  });

  it('writes logs only to the log group of LoggingConfig, and creates no log group', () => {
    // Act
    const problems = checkLogging(statements, template, FUNCTION_ID);

    // Assess
    expect(problems).toEqual([]);
  });

  it('only allows, with explicit actions', () => {
    // Act
    const problems = checkStatementShapes(statements);

    // Assess
    expect(problems).toEqual([]);
  });

  it('uses Resource "*" only for actions without resource-level permissions, and scopes every ARN', () => {
    // Act
    const problems = checkResourceScoping(statements);

    // Assess
    expect(problems).toEqual([]);
  });

  it('lets iam:CreateServiceLinkedRole create the Schemas service-linked role only', () => {
    // Act
    const problems = checkServiceLinkedRole(statements);

    // Assess
    expect(problems).toEqual([]);
  });
});

describe('the checks reject a weakened policy', () => {
  it('reports an action the handler needs but the policy lacks', () => {
    // Prepare
    const weakened = edited('ChangeOwnedEventBuses', (raw) => {
      raw.Action = (raw.Action as string[]).filter((action) => action !== 'events:DeleteEventBus');
    });

    // Act
    const { missing } = compareActions(grantedActions(weakened), ['events:DeleteEventBus']);

    // Assess
    expect(missing).toEqual(['events:DeleteEventBus']);
  });

  it('reports an action granted beyond what the handler needs', () => {
    // Prepare
    const widened = edited('ReadEventBuses', (raw) => {
      raw.Action = [...(raw.Action as string[]), 'events:PutEvents'];
    });

    // Act
    const { extra } = compareActions(grantedActions(widened), grantedActions(statements));

    // Assess
    expect(extra).toEqual(['events:PutEvents']);
  });

  it('reports Resource "*" on actions that support resource-level permissions', () => {
    // Prepare
    const widened = edited('ChangeOwnedDiscoverers', (raw) => {
      raw.Resource = '*';
      raw.Condition = { StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } } };
    });

    // Act
    const problems = checkResourceScoping(widened);

    // Assess
    expect(problems).toContain(
      'ChangeOwnedDiscoverers: Resource "*" for schemas:StopDiscoverer, which supports resource-level permissions',
    );
  });

  it('reports schemas:TagResource on "*" without request-tag conditions', () => {
    // Prepare
    const widened = edited('CreateOwnedDiscoverer', (raw) => {
      raw.Condition = { StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } } };
    });

    // Act
    const problems = checkResourceScoping(widened);

    // Assess
    expect(problems).toEqual([
      'CreateOwnedDiscoverer: Resource "*" for schemas:TagResource without aws:RequestTag conditions',
    ]);
  });

  it('reports Resource "*" not pinned to the stack region', () => {
    // Prepare
    const widened = edited('ListRulesInRegion', (raw) => {
      delete raw.Condition;
    });

    // Act
    const problems = checkResourceScoping(widened);

    // Assess
    expect(problems).toEqual([
      'ListRulesInRegion: Resource "*" without StringEquals aws:RequestedRegion: !Ref AWS::Region',
    ]);
  });

  it('reports an ARN open to every region and account', () => {
    // Prepare
    const widened = edited('ReadEventBuses', (raw) => {
      raw.Resource = { 'Fn::Sub': `arn:\${AWS::Partition}:events:*:*:event-bus/*` };
    });

    // Act
    const problems = checkResourceScoping(widened);

    // Assess
    expect(problems).toEqual([
      `ReadEventBuses: arn:\${AWS::Partition}:events:*:*:event-bus/* is not scoped to \${AWS::Region} and \${AWS::AccountId}`,
    ]);
  });

  it('reports an action granted on another service’s ARN', () => {
    // Prepare
    const mixed = edited('ChangeOwnedDiscoverers', (raw) => {
      raw.Action = [...(raw.Action as string[]), 'events:DeleteEventBus'];
    });

    // Act
    const problems = checkResourceScoping(mixed);

    // Assess
    expect(problems).toEqual(['ChangeOwnedDiscoverers: events:DeleteEventBus granted on a schemas ARN']);
  });

  it('reports iam:CreateServiceLinkedRole without its service-name condition', () => {
    // Prepare
    const widened = edited('SchemasServiceLinkedRole', (raw) => {
      delete raw.Condition;
    });

    // Act
    const problems = checkServiceLinkedRole(widened);

    // Assess
    expect(problems).toEqual([
      'SchemasServiceLinkedRole: iam:CreateServiceLinkedRole without iam:AWSServiceName schemas.amazonaws.com',
    ]);
  });

  it('reports iam:CreateServiceLinkedRole on any role but the Schemas one', () => {
    // Prepare
    const widened = edited('SchemasServiceLinkedRole', (raw) => {
      raw.Resource = { 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/*` };
    });

    // Act
    const problems = checkResourceScoping(widened);

    // Assess
    expect(problems).toEqual([
      `SchemasServiceLinkedRole: IAM resource arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/* is not the Schemas service-linked role`,
    ]);
  });

  it('reports a wildcard action and a Deny', () => {
    // Prepare
    const widened = edited('ReadEventBuses', (raw) => {
      raw.Action = ['events:*'];
      raw.Effect = 'Deny';
    });

    // Act
    const problems = checkStatementShapes(widened);

    // Assess
    expect(problems).toEqual(['ReadEventBuses: Effect must be Allow', 'ReadEventBuses: wildcard action events:*']);
  });

  it('reports a managed policy on the role, Policies on the function and a named role', () => {
    // Prepare
    const copy = clone(template);
    const roleProperties = copy.Resources[`${FUNCTION_ID}Role`]?.Properties ?? {};
    roleProperties.ManagedPolicyArns = ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'];
    roleProperties.RoleName = 'github-event-bus';
    const functionProperties = copy.Resources[FUNCTION_ID]?.Properties ?? {};
    functionProperties.Policies = ['AmazonEventBridgeFullAccess'];

    // Act
    const { problems } = functionPolicy(copy, FUNCTION_ID);

    // Assess
    expect(problems).toEqual([
      `${FUNCTION_ID}: Policies (SAM would generate a role)`,
      `${FUNCTION_ID}Role: ManagedPolicyArns`,
      `${FUNCTION_ID}Role: RoleName (would need CAPABILITY_NAMED_IAM)`,
    ]);
  });

  it('reports a function without its own role, which SAM would give the basic execution policy', () => {
    // Prepare
    const copy = clone(template);
    delete copy.Resources[FUNCTION_ID]?.Properties?.Role;

    // Act
    const { problems } = functionPolicy(copy, FUNCTION_ID);

    // Assess
    expect(problems).toEqual([`${FUNCTION_ID}: Role is not !GetAtt <an AWS::IAM::Role of this template>.Arn`]);
  });

  it('reports log writes to any log group, and CreateLogGroup', () => {
    // Prepare
    const widened = edited('WriteOwnLogGroup', (raw) => {
      raw.Action = [...(raw.Action as string[]), 'logs:CreateLogGroup'];
      raw.Resource = { 'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:*` };
    });

    // Act
    const problems = checkLogging(widened, template, FUNCTION_ID);

    // Assess
    expect(problems).toEqual([
      `WriteOwnLogGroup: logs:CreateLogStream on arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:*, not arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:\${GithubEventBusLogGroup}:*`,
      `WriteOwnLogGroup: logs:PutLogEvents on arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:*, not arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:\${GithubEventBusLogGroup}:*`,
      'WriteOwnLogGroup: logs:CreateLogGroup is not a log action Lambda needs',
    ]);
  });
});

describe('the discoverer’s managed rule, apart from the handler’s own actions', () => {
  const schema = JSON.parse(
    readFileSync(join(ROOT, 'models', 'aws', 'cfn', 'aws-eventschemas-discoverer.json'), 'utf8'),
  ) as { handlers: Record<string, { permissions: string[] }> };

  it('lists exactly the EventBridge actions the AWS::EventSchemas::Discoverer handlers need', () => {
    // Prepare
    const handlerActions = (['create', 'update', 'delete'] as const).flatMap(
      (handler) => schema.handlers[handler]?.permissions ?? [],
    );

    // Act
    const eventBridge = [...new Set(handlerActions.filter((action) => action.startsWith('events:')))];

    // Assess
    expect([...MANAGED_RULE_ACTIONS].sort()).toEqual(eventBridge.sort());
  });

  it('grants every one of them', () => {
    // Act
    const { missing } = compareActions(grantedActions(statements), MANAGED_RULE_ACTIONS);

    // Assess
    expect(missing).toEqual([]);
  });

  it('grants them only on the managed rules, in both ARN forms, and nothing else there', () => {
    // Act
    const problems = checkManagedRuleScope(statements);

    // Assess
    expect(problems).toEqual([]);
  });

  it('reports them on any rule, and another action beside them', () => {
    // Prepare
    const widened = edited('DiscovererManagedRules', (raw) => {
      raw.Resource = { 'Fn::Sub': `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:rule/*` };
      raw.Action = ['events:DeleteRule', 'events:PutEvents'];
    });

    // Act
    const problems = checkManagedRuleScope(widened);

    // Assess
    expect(problems).toEqual([
      'DiscovererManagedRules: events:PutEvents granted beside the managed-rule actions',
      `DiscovererManagedRules: events:DeleteRule on arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:rule/*, not only the managed rules`,
    ]);
  });
});

describe('function policy against AWS::Events::EventBus', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'models', 'aws', 'cfn', 'aws-events-eventbus.json'), 'utf8'));
  const nativeActions = (['create', 'update', 'delete'] as const).flatMap(
    (handler): string[] => schema.handlers[handler].permissions,
  );
  // KmsKeyIdentifier is refused (no schema discovery on a customer managed key) and Policy is left to
  // AWS::Events::EventBusPolicy: the native type's actions for those two are the ones this resource must not have.
  const notOffered = (action: string) =>
    action.startsWith('kms:') || action === 'events:PutPermission' || action === 'events:RemovePermission';

  it('grants every action the native type needs for the properties both have, LogConfig included', () => {
    // Act
    const { missing } = compareActions(
      grantedActions(statements),
      nativeActions.filter((a) => !notOffered(a)),
    );

    // Assess
    expect(missing).toEqual([]);
  });

  it('grants none of the actions for what it leaves out: KMS keys and bus policies', () => {
    // Act
    const granted = grantedActions(statements).filter(notOffered);

    // Assess
    expect(nativeActions.filter(notOffered).length).toBeGreaterThan(0);
    expect(granted).toEqual([]);
  });
});
