import { readFileSync } from 'node:fs';
import { parse, type Tags } from 'yaml';

// CloudFormation's short-form intrinsics (`!Ref X`, `!GetAtt A.B`, `!Sub ...`) become their long form
// (`{ Ref: X }`, `{ 'Fn::GetAtt': ['A', 'B'] }`), so templates can be read as plain data.
const INTRINSICS = [
  'Base64',
  'Cidr',
  'Condition',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'ToJsonString',
  'Length',
];

const fullName = (name: string): string => (name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`);

const cfnTags: Tags = ['Ref', ...INTRINSICS].flatMap((name) =>
  (['scalar', 'seq', 'map'] as const).map((collection) => ({
    tag: `!${name}`,
    ...(collection === 'scalar' ? {} : { collection }),
    resolve: (value: unknown) => {
      const resolved =
        typeof value === 'object' && value !== null && 'toJSON' in value
          ? (value as { toJSON(): unknown }).toJSON()
          : value;
      if (name === 'GetAtt' && typeof resolved === 'string') {
        const dot = resolved.indexOf('.');
        // `!GetAtt Name` without an attribute is malformed; keep it as a one-element list so checks can report it.
        return { [fullName(name)]: dot < 0 ? [resolved] : [resolved.slice(0, dot), resolved.slice(dot + 1)] };
      }
      return { [fullName(name)]: resolved };
    },
  })),
);

export type Template = {
  Parameters?: Record<string, { Type: string; Default?: unknown; [key: string]: unknown }>;
  Conditions?: Record<string, unknown>;
  Resources: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown>; [key: string]: unknown }
  >;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown }; [key: string]: unknown }>;
  [key: string]: unknown;
};

export const parseTemplate = (text: string): Template => parse(text, { customTags: cfnTags }) as Template;

export const readTemplate = (path: string): Template => parseTemplate(readFileSync(path, 'utf8'));
