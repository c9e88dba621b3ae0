import type { Template } from './cfn-yaml';

export const PSEUDO: Readonly<Record<string, string>> = {
  'AWS::StackName': 'github-event-bus-local',
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '123456789012',
  'AWS::Partition': 'aws',
};

/**
 * Resolves a resource's properties the way a deploy would: `Ref` to a parameter is its value in `parameters`, else
 * its Default; `Fn::Sub` substitutes those and the pseudo parameters, `Fn::GetAtt` becomes a placeholder ARN.
 * `refs` gives what a `Ref` to a resource returns, where a placeholder ARN would not do (a log group's name).
 */
export const resolveProperties = (
  template: Template,
  value: unknown,
  refs: Readonly<Record<string, string>> = {},
  parameters: Readonly<Record<string, string>> = {},
): unknown => {
  const resolveName = (name: string): string => {
    if (name in PSEUDO) return PSEUDO[name] as string;
    if (Object.hasOwn(refs, name)) return refs[name] as string;
    if (Object.hasOwn(parameters, name)) return parameters[name] as string;
    const parameter = template.Parameters?.[name];
    if (parameter) return String(parameter.Default ?? '');
    return `arn:aws:local:::${name}`;
  };
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return typeof node === 'number' ? String(node) : node;
    const entries = Object.entries(node);
    const [key, argument] = entries[0] ?? [];
    if (entries.length === 1 && key === 'Ref') return resolveName(String(argument));
    if (entries.length === 1 && key === 'Fn::GetAtt') return `arn:aws:local:::${(argument as string[]).join('.')}`;
    if (entries.length === 1 && key === 'Fn::Sub' && typeof argument === 'string') {
      return argument.replace(/\$\{([^}]+)\}/g, (_, name: string) => resolveName(name));
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, walk(v)]));
  };
  return walk(value);
};

/** Whether a template's condition holds with these parameter values (Fn::Equals, Not, And, Or, Condition). */
export const conditionHolds = (
  template: Template,
  name: string,
  parameters: Readonly<Record<string, string>> = {},
): boolean => {
  const evaluate = (node: unknown): boolean => {
    const [key, argument] = Object.entries(node ?? {})[0] ?? [];
    const list = Array.isArray(argument) ? argument : [];
    switch (key) {
      case 'Fn::Equals': {
        const [a, b] = list.map((item) => String(resolveProperties(template, item, {}, parameters)));
        return a === b;
      }
      case 'Fn::Not':
        return !evaluate(list[0]);
      case 'Fn::And':
        return list.every(evaluate);
      case 'Fn::Or':
        return list.some(evaluate);
      case 'Condition':
        return conditionHolds(template, String(argument), parameters);
      default:
        throw new Error(`condition ${name} uses ${key ?? 'nothing'}, which this reader does not evaluate`);
    }
  };
  if (!template.Conditions || !Object.hasOwn(template.Conditions, name)) {
    throw new Error(`the template declares no condition ${name}`);
  }
  return evaluate(template.Conditions[name]);
};

/**
 * The first resource of a type, with its logical id and its properties resolved with these parameter values (the
 * rest at their Default); an error when its Condition leaves it out of the stack.
 */
export const findResource = (
  template: Template,
  type: string,
  parameters: Readonly<Record<string, string>> = {},
): { logicalId: string; properties: Record<string, unknown> } => {
  const found = Object.entries(template.Resources).find(([, resource]) => resource.Type === type);
  if (!found) throw new Error(`the template declares no ${type}`);
  const [logicalId, resource] = found;
  const condition = resource.Condition;
  if (typeof condition === 'string' && !conditionHolds(template, condition, parameters)) {
    throw new Error(`with these parameters its ${type} ${logicalId} is left out: its Condition ${condition} is false`);
  }
  return {
    logicalId,
    properties: resolveProperties(template, resource.Properties ?? {}, {}, parameters) as Record<string, unknown>,
  };
};
