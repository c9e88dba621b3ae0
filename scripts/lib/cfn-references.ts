import type { Template } from './cfn-yaml';

// CloudFormation pseudo parameters: valid targets of Ref and ${...} without being declared.
export const PSEUDO_PARAMETERS: readonly string[] = [
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
];

/**
 * Logical ids the SAM transform adds, which a template may name before they exist. Only what this project uses is
 * modelled: an AWS::Serverless::Function without a `Role` property gets an execution role `<FunctionId>Role`
 * ("CloudFormation resources generated when AWS::Serverless::Function is specified",
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-function.html).
 */
export const samGeneratedResources = (template: Template): Map<string, string> => {
  const generated = new Map<string, string>();
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type === 'AWS::Serverless::Function' && resource.Properties?.Role === undefined) {
      generated.set(`${id}Role`, 'AWS::IAM::Role');
    }
  }
  return generated;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// An intrinsic is an object with exactly one key: `{ Ref: X }`, `{ 'Fn::Sub': ... }`, `{ Condition: X }`.
const intrinsic = (value: Record<string, unknown>): [string, unknown] | undefined => {
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] !== undefined ? [keys[0], value[keys[0]]] : undefined;
};

/** `${Name}` and `${Resource.Attribute}` placeholders of an Fn::Sub string; `${!Literal}` is an escape, not one. */
export const subVariables = (text: string): string[] =>
  [...text.matchAll(/\$\{([^}]*)\}/g)].map((match) => (match[1] ?? '').trim()).filter((name) => !name.startsWith('!'));

type Scope = {
  parameters: Set<string>;
  resources: Set<string>;
  conditions: Set<string>;
  // In the Conditions section a Ref may only name a parameter.
  inConditions: boolean;
};

const checkRef = (name: unknown, scope: Scope, path: string, problems: string[]): void => {
  if (typeof name !== 'string') {
    problems.push(`${path}: Ref must name something, got ${JSON.stringify(name)}`);
    return;
  }
  if (PSEUDO_PARAMETERS.includes(name) || scope.parameters.has(name)) return;
  if (scope.resources.has(name) && !scope.inConditions) return;
  problems.push(`${path}: Ref ${name} names no ${scope.inConditions ? 'parameter' : 'parameter or resource'}`);
};

const checkGetAtt = (value: unknown, scope: Scope, path: string, problems: string[]): void => {
  const parts = typeof value === 'string' ? value.split(/\.(.*)/s, 2) : value;
  const [resource, attribute] = Array.isArray(parts) ? parts : [];
  if (typeof resource !== 'string' || typeof attribute !== 'string' || attribute === '') {
    problems.push(`${path}: Fn::GetAtt needs [Resource, Attribute], got ${JSON.stringify(value)}`);
    return;
  }
  if (!scope.resources.has(resource)) problems.push(`${path}: Fn::GetAtt ${resource}.${attribute} names no resource`);
};

const checkSub = (value: unknown, scope: Scope, path: string, problems: string[]): void => {
  const [text, variables] = Array.isArray(value) ? value : [value, {}];
  if (typeof text !== 'string' || !isRecord(variables)) {
    problems.push(`${path}: Fn::Sub needs a string or [string, {variables}], got ${JSON.stringify(value)}`);
    return;
  }
  for (const name of subVariables(text)) {
    if (Object.hasOwn(variables, name)) continue;
    const dot = name.indexOf('.');
    if (dot >= 0) checkGetAtt([name.slice(0, dot), name.slice(dot + 1)], scope, `${path} \${${name}}`, problems);
    else checkRef(name, scope, `${path} \${${name}}`, problems);
  }
  walk(variables, scope, `${path}[1]`, problems);
};

const checkConditionName = (name: unknown, scope: Scope, path: string, problems: string[]): void => {
  if (typeof name !== 'string' || !scope.conditions.has(name)) {
    problems.push(`${path}: condition ${JSON.stringify(name)} is not declared in Conditions`);
  }
};

function walk(value: unknown, scope: Scope, path: string, problems: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      walk(item, scope, `${path}[${index}]`, problems);
    });
    return;
  }
  if (!isRecord(value)) return;
  const [name, argument] = intrinsic(value) ?? [];
  if (name === 'Ref') checkRef(argument, scope, path, problems);
  else if (name === 'Fn::GetAtt') checkGetAtt(argument, scope, path, problems);
  else if (name === 'Fn::Sub') checkSub(argument, scope, path, problems);
  // Only the intrinsic form; an IAM statement's `Condition` is a map next to other keys.
  else if (name === 'Condition' && typeof argument === 'string') checkConditionName(argument, scope, path, problems);
  else if (name === 'Fn::If' && Array.isArray(argument)) {
    checkConditionName(argument[0], scope, `${path}.Fn::If[0]`, problems);
    walk(argument.slice(1), scope, `${path}.Fn::If`, problems);
  } else {
    for (const [key, child] of Object.entries(value)) walk(child, scope, `${path}.${key}`, problems);
  }
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/**
 * Every name a template refers to, checked against what it declares: Ref (also `${X}` in Fn::Sub, minus the Sub's own
 * variables and pseudo parameters), Fn::GetAtt, DependsOn, and the Condition attribute, intrinsic and Fn::If.
 * Returns one message per dangling name; an empty list means the template is closed.
 */
export const findDanglingReferences = (template: Template): string[] => {
  const declared = new Set(Object.keys(template.Resources ?? {}));
  const scope: Scope = {
    parameters: new Set(Object.keys(template.Parameters ?? {})),
    resources: new Set([...declared, ...samGeneratedResources(template).keys()]),
    conditions: new Set(Object.keys(template.Conditions ?? {})),
    inConditions: false,
  };
  const problems: string[] = [];
  for (const [id, condition] of Object.entries(template.Conditions ?? {})) {
    walk(condition, { ...scope, inConditions: true }, `Conditions.${id}`, problems);
  }
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    const { DependsOn, Condition, ...rest } = resource;
    for (const target of asList(DependsOn)) {
      if (typeof target !== 'string' || !scope.resources.has(target)) {
        problems.push(`Resources.${id}.DependsOn: ${JSON.stringify(target)} names no resource`);
      }
    }
    if (Condition !== undefined) checkConditionName(Condition, scope, `Resources.${id}.Condition`, problems);
    walk(rest, scope, `Resources.${id}`, problems);
  }
  for (const [id, output] of Object.entries(template.Outputs ?? {})) {
    const { Condition, ...rest } = output;
    if (Condition !== undefined) checkConditionName(Condition, scope, `Outputs.${id}.Condition`, problems);
    walk(rest, scope, `Outputs.${id}`, problems);
  }
  return problems;
};

/** Every `[Resource, Attribute]` read through Fn::GetAtt or a `${Resource.Attribute}` in Fn::Sub, with its path. */
export const findAttributeReads = (
  value: unknown,
  path = '',
): { resource: string; attribute: string; path: string }[] => {
  if (Array.isArray(value)) return value.flatMap((item, index) => findAttributeReads(item, `${path}[${index}]`));
  if (!isRecord(value)) return [];
  const [name, argument] = intrinsic(value) ?? [];
  const reads: { resource: string; attribute: string; path: string }[] = [];
  if (name === 'Fn::GetAtt') {
    const parts = typeof argument === 'string' ? argument.split(/\.(.*)/s, 2) : argument;
    if (Array.isArray(parts) && typeof parts[0] === 'string' && typeof parts[1] === 'string') {
      reads.push({ resource: parts[0], attribute: parts[1], path });
    }
  }
  if (name === 'Fn::Sub') {
    const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
    for (const variable of typeof text === 'string' ? subVariables(text) : []) {
      const dot = variable.indexOf('.');
      if (dot < 0 || (isRecord(variables) && Object.hasOwn(variables, variable))) continue;
      reads.push({ resource: variable.slice(0, dot), attribute: variable.slice(dot + 1), path });
    }
  }
  return [
    ...reads,
    ...Object.entries(value).flatMap(([key, child]) => findAttributeReads(child, path ? `${path}.${key}` : key)),
  ];
};
