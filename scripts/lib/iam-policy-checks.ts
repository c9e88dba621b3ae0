import type { Template } from './cfn-yaml';
import { MANAGED_RULE_ACTIONS } from './iam-managed-rule';

// Service Authorization Reference: neither action lists a resource type, so IAM accepts only `Resource: '*'`.
// Every other action the handler calls has one (event-bus for events:*, discoverer for schemas:*).
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridgeschemas.html
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html
export const ACTIONS_WITHOUT_RESOURCE_TYPES: readonly string[] = ['schemas:CreateDiscoverer', 'events:ListRules'];

/**
 * Actions with a resource type that IAM may still authorize against `*`, so the role grants them there too (pinned
 * to the region): the tags of CreateDiscoverer, authorized as TagResource on a resource no document names (only
 * with request-tag conditions), and ListDiscoverers, which AWS's own managed policies grant on `*`.
 */
export const ACTIONS_ALSO_ON_ANY_RESOURCE: Readonly<Record<string, { requestTags: boolean }>> = {
  'schemas:TagResource': { requestTags: true },
  'schemas:ListDiscoverers': { requestTags: false },
};

/** The one action outside the handler's SDK calls: Schemas creates its service-linked role on the caller's behalf. */
export const SERVICE_LINKED_ROLE = {
  action: 'iam:CreateServiceLinkedRole',
  serviceName: 'schemas.amazonaws.com',
  resource: `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/aws-service-role/schemas.amazonaws.com/AWSServiceRoleForSchemas*`,
} as const;

/** What Lambda does with the function's role to write its logs (the role replaces the basic execution policy). */
export const LOG_ACTIONS: readonly string[] = ['logs:CreateLogStream', 'logs:PutLogEvents'];

/** Actions the role needs that no SDK import of the handler names. */
export const ACTIONS_BEYOND_THE_SDK: readonly string[] = [
  SERVICE_LINKED_ROLE.action,
  ...LOG_ACTIONS,
  ...MANAGED_RULE_ACTIONS,
];

export type Statement = {
  sid: string;
  effect: unknown;
  actions: string[];
  // ARNs as written: a literal, or the string of an Fn::Sub; anything else is kept as its JSON text.
  resources: string[];
  condition: unknown;
  raw: Record<string, unknown>;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

const resourceText = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (isRecord(value) && 'Fn::Sub' in value) {
    const sub = value['Fn::Sub'];
    const text = Array.isArray(sub) ? sub[0] : sub;
    if (typeof text === 'string') return text;
  }
  return JSON.stringify(value);
};

const toStatement = (raw: Record<string, unknown>, index: number): Statement => ({
  sid: typeof raw.Sid === 'string' ? raw.Sid : `#${index}`,
  effect: raw.Effect,
  actions: asList(raw.Action).map(String),
  resources: asList(raw.Resource).map(resourceText),
  condition: raw.Condition,
  raw,
});

const getAttArnOf = (value: unknown): string | undefined => {
  const getAtt = isRecord(value) ? value['Fn::GetAtt'] : undefined;
  return Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
};

/**
 * The inline statements of the AWS::IAM::Role an AWS::Serverless::Function names in `Role` (`!GetAtt X.Arn`).
 * A generated role (no `Role`), `Policies` on the function, managed policies and anything but inline policy
 * documents are reported as problems: what they grant is not in the template, so least privilege could not be
 * checked (and SAM adds the basic execution policy to every role it generates).
 */
export const functionPolicy = (
  template: Template,
  functionId: string,
): { roleId?: string; statements: Statement[]; problems: string[] } => {
  const properties = template.Resources?.[functionId]?.Properties ?? {};
  const statements: Statement[] = [];
  const problems: string[] = [];
  if (properties.Policies !== undefined) problems.push(`${functionId}: Policies (SAM would generate a role)`);
  const roleId = getAttArnOf(properties.Role);
  const role = roleId === undefined ? undefined : template.Resources?.[roleId];
  if (!roleId || role?.Type !== 'AWS::IAM::Role') {
    problems.push(`${functionId}: Role is not !GetAtt <an AWS::IAM::Role of this template>.Arn`);
    return { statements, problems };
  }
  const roleProperties = role.Properties ?? {};
  if (roleProperties.ManagedPolicyArns !== undefined) problems.push(`${roleId}: ManagedPolicyArns`);
  if (roleProperties.RoleName !== undefined) problems.push(`${roleId}: RoleName (would need CAPABILITY_NAMED_IAM)`);
  asList(roleProperties.Policies).forEach((policy, index) => {
    const document = isRecord(policy) ? policy.PolicyDocument : undefined;
    if (isRecord(document) && 'Statement' in document) {
      for (const raw of asList(document.Statement)) {
        if (isRecord(raw)) statements.push(toStatement(raw, statements.length));
        else problems.push(`${roleId}.Policies[${index}]: statement ${JSON.stringify(raw)} is not an object`);
      }
    } else {
      problems.push(`${roleId}.Policies[${index}]: ${JSON.stringify(policy)} is not an inline policy document`);
    }
  });
  return { roleId, statements, problems };
};

/** Allow statements with plain, explicit actions: no Deny/NotAction/NotResource and no wildcard in an action. */
export const checkStatementShapes = (statements: readonly Statement[]): string[] =>
  statements.flatMap((statement) => [
    ...(statement.effect === 'Allow' ? [] : [`${statement.sid}: Effect must be Allow`]),
    ...['NotAction', 'NotResource', 'Principal']
      .filter((key) => key in statement.raw)
      .map((key) => `${statement.sid}: ${key} is not allowed`),
    ...(statement.actions.length === 0 ? [`${statement.sid}: no Action`] : []),
    ...(statement.resources.length === 0 ? [`${statement.sid}: no Resource`] : []),
    ...statement.actions.filter((action) => action.includes('*')).map((a) => `${statement.sid}: wildcard action ${a}`),
  ]);

export const grantedActions = (statements: readonly Statement[]): string[] =>
  [...new Set(statements.flatMap((statement) => statement.actions))].sort();

/** What the policy lacks and what it grants beyond `required` (the actions beyond the SDK aside). */
export const compareActions = (
  granted: readonly string[],
  required: readonly string[],
): { missing: string[]; extra: string[] } => ({
  missing: required.filter((action) => !granted.includes(action)),
  extra: granted.filter((action) => !required.includes(action) && !ACTIONS_BEYOND_THE_SDK.includes(action)),
});

const PLACEHOLDERS: readonly [string, string][] = [
  [`\${AWS::Partition}`, '{partition}'],
  [`\${AWS::Region}`, '{region}'],
  [`\${AWS::AccountId}`, '{account}'],
];

const regionPinned = (condition: unknown): boolean => {
  const equals = isRecord(condition) ? condition.StringEquals : undefined;
  const region = isRecord(equals) ? equals['aws:RequestedRegion'] : undefined;
  return isRecord(region) && region.Ref === 'AWS::Region';
};

const testsRequestTags = (condition: unknown): boolean =>
  isRecord(condition) &&
  Object.values(condition).some(
    (test) => isRecord(test) && Object.keys(test).some((key) => key.startsWith('aws:RequestTag/')),
  );

const checkResource = (statement: Statement, resource: string): string[] => {
  if (resource === '*') {
    const scoped = statement.actions.filter(
      (action) => !ACTIONS_WITHOUT_RESOURCE_TYPES.includes(action) && !(action in ACTIONS_ALSO_ON_ANY_RESOURCE),
    );
    const untagged = statement.actions.filter(
      (action) => ACTIONS_ALSO_ON_ANY_RESOURCE[action]?.requestTags && !testsRequestTags(statement.condition),
    );
    return [
      ...scoped.map(
        (action) => `${statement.sid}: Resource "*" for ${action}, which supports resource-level permissions`,
      ),
      ...untagged.map((action) => `${statement.sid}: Resource "*" for ${action} without aws:RequestTag conditions`),
      ...(regionPinned(statement.condition)
        ? []
        : [`${statement.sid}: Resource "*" without StringEquals aws:RequestedRegion: !Ref AWS::Region`]),
    ];
  }
  const normalized = PLACEHOLDERS.reduce((text, [from, to]) => text.split(from).join(to), resource);
  const [arn, partition, service, region, account, rest] = normalized.split(':');
  const problems: string[] = [];
  if (arn !== 'arn' || partition !== '{partition}' || rest === undefined) {
    problems.push(`${statement.sid}: ${resource} is not an arn:\${AWS::Partition}:... ARN`);
  }
  for (const action of statement.actions) {
    if (action.split(':')[0] !== service) problems.push(`${statement.sid}: ${action} granted on a ${service} ARN`);
  }
  if (service === 'iam') {
    if (resource !== SERVICE_LINKED_ROLE.resource) {
      problems.push(`${statement.sid}: IAM resource ${resource} is not the Schemas service-linked role`);
    }
  } else if (region !== '{region}' || account !== '{account}') {
    problems.push(`${statement.sid}: ${resource} is not scoped to \${AWS::Region} and \${AWS::AccountId}`);
  }
  return problems;
};

/**
 * Resource scoping: `*` only where every action lacks a resource type or is one IAM may authorize against `*` (and
 * pinned to the stack's region), every ARN of the statement's own service in this partition, region and account; the
 * one IAM ARN is the service-linked role.
 */
export const checkResourceScoping = (statements: readonly Statement[]): string[] =>
  statements.flatMap((statement) => statement.resources.flatMap((resource) => checkResource(statement, resource)));

/** iam:CreateServiceLinkedRole only with `StringEquals: iam:AWSServiceName: schemas.amazonaws.com`. */
export const checkServiceLinkedRole = (statements: readonly Statement[]): string[] =>
  statements
    .filter((statement) => statement.actions.includes(SERVICE_LINKED_ROLE.action))
    .flatMap((statement) => {
      const equals = isRecord(statement.condition) ? statement.condition.StringEquals : undefined;
      const serviceName = isRecord(equals) ? equals['iam:AWSServiceName'] : undefined;
      return serviceName === SERVICE_LINKED_ROLE.serviceName
        ? []
        : [
            `${statement.sid}: ${SERVICE_LINKED_ROLE.action} without iam:AWSServiceName ${SERVICE_LINKED_ROLE.serviceName}`,
          ];
    });

/**
 * The log actions only on the log group the function logs to (`LoggingConfig.LogGroup: !Ref <group>`), as
 * `arn:...:log-group:\${<group>}:*` (its streams), and no other log action at all (CreateLogGroup above all).
 */
export const checkLogging = (statements: readonly Statement[], template: Template, functionId: string): string[] => {
  const loggingConfig = template.Resources?.[functionId]?.Properties?.LoggingConfig;
  const logGroup = isRecord(loggingConfig) && isRecord(loggingConfig.LogGroup) ? loggingConfig.LogGroup.Ref : undefined;
  if (typeof logGroup !== 'string') return [`${functionId}: LoggingConfig.LogGroup is not a !Ref to a log group`];
  const streams = `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:\${${logGroup}}:*`;
  const granted = new Set<string>();
  const problems = statements.flatMap((statement) =>
    statement.actions
      .filter((action) => action.startsWith('logs:'))
      .flatMap((action) => {
        if (!LOG_ACTIONS.includes(action)) return [`${statement.sid}: ${action} is not a log action Lambda needs`];
        granted.add(action);
        return statement.resources
          .filter((resource) => resource !== streams)
          .map((resource) => `${statement.sid}: ${action} on ${resource}, not ${streams}`);
      }),
  );
  return [
    ...problems,
    ...LOG_ACTIONS.filter((action) => !granted.has(action)).map((action) => `${action} is not granted`),
  ];
};
