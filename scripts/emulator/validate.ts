import { type MemberRef, memberTrait, type Shape, type SmithyModel } from './model';

interface Length {
  min?: number;
  max?: number;
}

// Compiled once per pattern string: validation runs on every request.
const patterns = new Map<string, RegExp>();
const enumSets = new WeakMap<Shape, Set<unknown>>();

/**
 * Checks a decoded input against the model's shape: required members, length, pattern, range and enum
 * constraints, and JSON types, through structures, unions, lists and maps. Returns AWS-style violation texts.
 */
export function validateInput(model: SmithyModel, shapeId: string, input: unknown): string[] {
  const violations: string[] = [];
  checkValue(model, { target: shapeId }, input, '', violations);
  return violations;
}

/** Joins violations the way AWS services word a validation failure. */
export function describeViolations(violations: string[]): string {
  const count = violations.length;
  return `${count} validation error${count === 1 ? '' : 's'} detected: ${violations.join('; ')}`;
}

function checkValue(model: SmithyModel, ref: MemberRef, value: unknown, path: string, out: string[]): void {
  const shape = model.shape(ref.target);
  const fail = (constraint: string) => {
    out.push(`Value ${render(value)} at '${path || 'input'}' failed to satisfy constraint: Member must ${constraint}`);
  };
  switch (shape.type) {
    case 'string':
      if (typeof value !== 'string') fail('be a string');
      else checkString(ref, shape, value, fail);
      break;
    case 'enum':
    case 'intEnum':
      checkEnum(shape, value, fail);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') fail('be a boolean');
      break;
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) fail('be an integer');
      else checkRange(ref, shape, value, fail);
      break;
    case 'float':
    case 'double':
    case 'bigInteger':
    case 'bigDecimal':
      if (typeof value !== 'number') fail('be a number');
      else checkRange(ref, shape, value, fail);
      break;
    case 'timestamp':
      if (typeof value !== 'number' && typeof value !== 'string') fail('be a timestamp');
      break;
    case 'blob':
      if (typeof value !== 'string') fail('be base64 text');
      break;
    case 'list':
    case 'set':
      checkList(model, ref, shape, value, path, out, fail);
      break;
    case 'map':
      checkMap(model, ref, shape, value, path, out, fail);
      break;
    case 'structure':
    case 'union':
      checkStructure(model, shape, value, path, out, fail);
      break;
    default:
      // document and anything newer: no constraints to check.
      break;
  }
}

function checkString(ref: MemberRef, shape: Shape, value: string, fail: (constraint: string) => void): void {
  checkLength(ref, shape, [...value].length, fail);
  checkPattern(ref, shape, value, fail);
  checkEnum(shape, value, fail);
}

function checkStructure(
  model: SmithyModel,
  shape: Shape,
  value: unknown,
  path: string,
  out: string[],
  fail: (constraint: string) => void,
): void {
  if (!isObject(value)) {
    fail('be an object');
    return;
  }
  const members = shape.members ?? {};
  let present = 0;
  for (const [name, member] of Object.entries(members)) {
    const memberValue = value[name];
    const memberPath = path ? `${path}.${lowerFirst(name)}` : lowerFirst(name);
    if (memberValue === undefined || memberValue === null) {
      if (member.traits && 'smithy.api#required' in member.traits) {
        out.push(`Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`);
      }
      continue;
    }
    present += 1;
    checkValue(model, member, memberValue, memberPath, out);
  }
  if (shape.type === 'union' && present !== 1) fail('have exactly one member set');
}

function checkList(
  model: SmithyModel,
  ref: MemberRef,
  shape: Shape,
  value: unknown,
  path: string,
  out: string[],
  fail: (constraint: string) => void,
): void {
  if (!Array.isArray(value)) {
    fail('be a list');
    return;
  }
  checkLength(ref, shape, value.length, fail);
  if (!shape.member) return;
  for (const [index, item] of value.entries()) {
    checkValue(model, shape.member, item, `${path}.${index + 1}.member`, out);
  }
}

function checkMap(
  model: SmithyModel,
  ref: MemberRef,
  shape: Shape,
  value: unknown,
  path: string,
  out: string[],
  fail: (constraint: string) => void,
): void {
  if (!isObject(value)) {
    fail('be a map');
    return;
  }
  const entries = Object.entries(value);
  checkLength(ref, shape, entries.length, fail);
  for (const [key, item] of entries) {
    if (shape.key) checkValue(model, shape.key, key, `${path}.key`, out);
    if (shape.value) checkValue(model, shape.value, item, `${path}.${key}`, out);
  }
}

function checkLength(ref: MemberRef, shape: Shape, length: number, fail: (constraint: string) => void): void {
  const limits = memberTrait<Length>(ref, shape, 'smithy.api#length');
  if (!limits) return;
  if (limits.min !== undefined && length < limits.min) fail(`have length greater than or equal to ${limits.min}`);
  if (limits.max !== undefined && length > limits.max) fail(`have length less than or equal to ${limits.max}`);
}

function checkRange(ref: MemberRef, shape: Shape, value: number, fail: (constraint: string) => void): void {
  const limits = memberTrait<Length>(ref, shape, 'smithy.api#range');
  if (!limits) return;
  if (limits.min !== undefined && value < limits.min) fail(`have value greater than or equal to ${limits.min}`);
  if (limits.max !== undefined && value > limits.max) fail(`have value less than or equal to ${limits.max}`);
}

function checkPattern(ref: MemberRef, shape: Shape, value: string, fail: (constraint: string) => void): void {
  const pattern = memberTrait<string>(ref, shape, 'smithy.api#pattern');
  if (pattern === undefined) return;
  let regex = patterns.get(pattern);
  if (!regex) {
    regex = new RegExp(pattern);
    patterns.set(pattern, regex);
  }
  if (!regex.test(value)) fail(`satisfy regular expression pattern: ${pattern}`);
}

function checkEnum(shape: Shape, value: unknown, fail: (constraint: string) => void): void {
  const allowed = enumValues(shape);
  if (allowed && !allowed.has(value)) fail(`satisfy enum value set: [${[...allowed].join(', ')}]`);
}

// Smithy 2 enum shapes carry enumValue per member; Smithy 1 strings carry an `enum` trait list.
function enumValues(shape: Shape): Set<unknown> | undefined {
  const cached = enumSets.get(shape);
  if (cached) return cached;
  let values: unknown[] | undefined;
  if (shape.type === 'enum' || shape.type === 'intEnum') {
    values = Object.entries(shape.members ?? {}).map(
      ([name, member]) => member.traits?.['smithy.api#enumValue'] ?? name,
    );
  } else {
    const legacy = shape.traits?.['smithy.api#enum'] as { value: string }[] | undefined;
    values = legacy?.map((entry) => entry.value);
  }
  if (!values) return undefined;
  const set = new Set(values);
  enumSets.set(shape, set);
  return set;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function render(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  const text = JSON.stringify(value) ?? String(value);
  return `'${text.length > 200 ? `${text.slice(0, 200)}...` : text}'`;
}
