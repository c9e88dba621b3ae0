import type { Template } from './cfn-yaml';

type Declaration = NonNullable<Template['Parameters']>[string];

/** A parameter value a stack would refuse, said in one line; the command exits 2 on it. */
export class ParameterError extends Error {
  override readonly name = 'ParameterError';
}

const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** Why CloudFormation would refuse `value` for this parameter, by its declaration's constraints; undefined if not. */
const refusal = (declaration: Declaration, value: string): string | undefined => {
  const { Type, AllowedValues, AllowedPattern, MinLength, MaxLength, MinValue, MaxValue, ConstraintDescription } =
    declaration;
  const because = (what: string): string => (typeof ConstraintDescription === 'string' ? ConstraintDescription : what);
  if (Array.isArray(AllowedValues) && !AllowedValues.map(String).includes(value)) {
    return `allowed values are ${AllowedValues.map(String).join(', ')}`;
  }
  if (Type === 'Number') {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number)) return 'a Number parameter needs a number';
    if (typeof MinValue === 'number' && number < MinValue) return because(`at least ${MinValue}`);
    if (typeof MaxValue === 'number' && number > MaxValue) return because(`at most ${MaxValue}`);
    return undefined;
  }
  // CloudFormation matches AllowedPattern against the whole value.
  if (typeof AllowedPattern === 'string' && !new RegExp(`^(?:${AllowedPattern})$`).test(value)) {
    return because(`does not match AllowedPattern ${AllowedPattern}`);
  }
  if (typeof MinLength === 'number' && value.length < MinLength) return because(`at least ${MinLength} characters`);
  if (typeof MaxLength === 'number' && value.length > MaxLength) return because(`at most ${MaxLength} characters`);
  return undefined;
};

/**
 * The value of every parameter of the template: those given as `NAME=VALUE` (each a parameter the template
 * declares, given once, with a value its constraints allow), the rest at their Default. `given` names the first.
 */
export const readParameters = (
  flags: string[],
  template: Template,
  templatePath: string,
): { values: Record<string, string>; given: string[] } => {
  const declared = template.Parameters ?? {};
  const values: Record<string, string> = {};
  for (const flag of flags) {
    const equals = flag.indexOf('=');
    const [name, value] = equals > 0 ? [flag.slice(0, equals), flag.slice(equals + 1)] : [flag, undefined];
    if (value === undefined) throw new ParameterError(`--parameter takes NAME=VALUE, got "${flag}"`);
    const declaration = declared[name];
    if (!declaration || !Object.hasOwn(declared, name)) {
      const names = Object.keys(declared);
      throw new ParameterError(
        `--parameter ${name}: ${templatePath} has no parameter ${name} (${names.length > 0 ? `it has ${names.join(', ')}` : 'it has none'})`,
      );
    }
    if (Object.hasOwn(values, name)) throw new ParameterError(`--parameter ${name} is given twice`);
    const problem = refusal(declaration, value);
    if (problem) throw new ParameterError(`--parameter ${name}=${value}: ${problem}`);
    values[name] = value;
  }
  const given = Object.keys(values);
  for (const [name, declaration] of Object.entries(declared)) {
    if (Object.hasOwn(values, name)) continue;
    if (declaration.Default === undefined) {
      throw new ParameterError(`${templatePath}'s parameter ${name} has no Default: pass --parameter ${name}=VALUE`);
    }
    values[name] = text(declaration.Default);
  }
  return { values, given };
};
