import type { Template } from './cfn-yaml';

/**
 * Actions used here that have no resource type in the Service Authorization Reference, so that IAM only accepts
 * `Resource: '*'` for them. Each needs its own source:
 * - schemas:CreateDiscoverer: "Resource types" column empty,
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridgeschemas.html
 * Every other action the handler calls has one (event-bus for events:*, discoverer for schemas:*), per that page and
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html
 */
// Service Authorization Reference: neither action lists a resource type.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridgeschemas.html
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html
export const ACTIONS_WITHOUT_RESOURCE_TYPES: readonly string[] = ['schemas:CreateDiscoverer', 'events:ListRules'];

/** The one action outside the handler's SDK calls: Schemas creates its service-linked role on the caller's behalf. */
export const SERVICE_LINKED_ROLE = {
  action: 'iam:CreateServiceLinkedRole',
  serviceName: 'schemas.amazonaws.com',
  resource: `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/aws-service-role/schemas.amazonaws.com/AWSServiceRoleForSchemas*`,
} as const;

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

/**
 * The inline statements of an AWS::Serverless::Function's `Policies`. Managed policy names and SAM policy templates
 * are reported as problems: what they grant is not in the template, so least privilege could not be checked.
 */
export const functionPolicy = (
  template: Template,
  functionId: string,
): { statements: Statement[]; problems: string[] } => {
  const policies = asList(template.Resources?.[functionId]?.Properties?.Policies);
  const statements: Statement[] = [];
  const problems: string[] = [];
  policies.forEach((policy, index) => {
    if (isRecord(policy) && 'Statement' in policy) {
      for (const raw of asList(policy.Statement)) {
        if (isRecord(raw)) statements.push(toStatement(raw, statements.length));
        else problems.push(`Policies[${index}]: statement ${JSON.stringify(raw)} is not an object`);
      }
    } else {
      problems.push(`Policies[${index}]: ${JSON.stringify(policy)} is not an inline policy document`);
    }
  });
  return { statements, problems };
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

/** What the policy lacks and what it grants beyond `required` (the service-linked role action aside). */
export const compareActions = (
  granted: readonly string[],
  required: readonly string[],
): { missing: string[]; extra: string[] } => ({
  missing: required.filter((action) => !granted.includes(action)),
  extra: granted.filter((action) => !required.includes(action) && action !== SERVICE_LINKED_ROLE.action),
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

const checkResource = (statement: Statement, resource: string): string[] => {
  if (resource === '*') {
    const scoped = statement.actions.filter((action) => !ACTIONS_WITHOUT_RESOURCE_TYPES.includes(action));
    return [
      ...scoped.map(
        (action) => `${statement.sid}: Resource "*" for ${action}, which supports resource-level permissions`,
      ),
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
 * Resource scoping: `*` only where every action lacks a resource type (and pinned to the stack's region), every ARN
 * of the statement's own service in this partition, region and account; the one IAM ARN is the service-linked role.
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
