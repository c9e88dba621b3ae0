/**
 * The shape of JSON values as schema discovery sees them: inferred from one value, merged across many.
 * Merging only ever widens: a field seen once stays, a field missing from some value stops being required, a type
 * also seen as null becomes nullable, integer and number widen to number, and types that cannot be reconciled
 * become `any`. A schema rendered from a merged shape therefore accepts every event merged into it.
 */
export type Shape = { type: 'null' } | { type: 'any' } | TypedShape;

export type TypedShape = (
  | { type: 'string'; dateTime: boolean }
  | { type: 'integer' }
  | { type: 'number' }
  | { type: 'boolean' }
  /** `items` is absent while only empty arrays were seen. */
  | { type: 'array'; items?: Shape }
  | ObjectShape
) & { nullable?: true };

export interface ObjectShape {
  type: 'object';
  properties: Map<string, Field>;
  nullable?: true;
}

export interface Field {
  shape: Shape;
  required: boolean;
}

/** An event as discovery keeps it: the two names it is filed under and the two parts whose shape varies. */
export interface EventShape {
  source: string;
  detailType: string;
  detail: ObjectShape;
  resources: Shape;
}

// RFC 3339 date-time, what GitHub's `created_at` and EventBridge's own `time` carry.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function inferShape(value: unknown): Shape {
  if (value === null || value === undefined) return { type: 'null' };
  if (typeof value === 'string') return { type: 'string', dateTime: DATE_TIME.test(value) };
  if (typeof value === 'number') return { type: Number.isInteger(value) ? 'integer' : 'number' };
  if (typeof value === 'boolean') return { type: 'boolean' };
  if (Array.isArray(value)) {
    let items: Shape | undefined;
    for (const item of value) items = items ? mergeShapes(items, inferShape(item)) : inferShape(item);
    return items ? { type: 'array', items } : { type: 'array' };
  }
  return inferObject(value as Record<string, unknown>);
}

export function inferObject(value: Record<string, unknown>): ObjectShape {
  const properties = new Map<string, Field>();
  for (const [key, item] of Object.entries(value)) properties.set(key, { shape: inferShape(item), required: true });
  return { type: 'object', properties };
}

/** Returns `a` itself when `b` adds nothing to it, so a repeated shape is recognised without rendering it. */
export function mergeShapes(a: Shape, b: Shape): Shape {
  if (a.type === 'any') return a;
  if (b.type === 'any') return b;
  if (a.type === 'null') return b.type === 'null' ? b : nullable(b);
  if (b.type === 'null') return nullable(a);
  const merged = mergeTyped(a, b);
  return b.nullable && merged.type !== 'any' && merged.type !== 'null' ? nullable(merged) : merged;
}

function nullable(shape: TypedShape): TypedShape {
  return shape.nullable ? shape : { ...shape, nullable: true };
}

/** Two non-null shapes, nullability aside: `a` itself when `b` adds nothing. */
function mergeTyped(a: TypedShape, b: TypedShape): Shape {
  if (a.type === 'string' && b.type === 'string') return !a.dateTime || b.dateTime ? a : { ...a, dateTime: false };
  if (a.type === 'array' && b.type === 'array') {
    if (!b.items) return a;
    const items = a.items ? mergeShapes(a.items, b.items) : b.items;
    return items === a.items ? a : { ...a, items };
  }
  if (a.type === 'object' && b.type === 'object') {
    const merged = mergeObjects(a, b);
    return merged === a || !a.nullable ? merged : { ...merged, nullable: true };
  }
  if (a.type === b.type) return a;
  if (a.type === 'number' && b.type === 'integer') return a;
  if (a.type === 'integer' && b.type === 'number') return { ...a, type: 'number' };
  return { type: 'any' };
}

/** Returns `a` itself when `b` adds nothing to it: no new field, no wider type, no required field missing. */
export function mergeObjects(a: ObjectShape, b: ObjectShape): ObjectShape {
  let changed = false;
  const properties = new Map<string, Field>();
  for (const [key, field] of a.properties) {
    const other = b.properties.get(key);
    const shape = other ? mergeShapes(field.shape, other.shape) : field.shape;
    const required = field.required && other?.required === true;
    if (shape !== field.shape || required !== field.required) changed = true;
    properties.set(key, shape === field.shape && required === field.required ? field : { shape, required });
  }
  for (const [key, field] of b.properties) {
    if (a.properties.has(key)) continue;
    changed = true;
    properties.set(key, { shape: field.shape, required: false });
  }
  return changed ? { type: 'object', properties } : a;
}

export function mergeEvents(a: EventShape, b: EventShape): EventShape {
  const detail = mergeObjects(a.detail, b.detail);
  const resources = mergeShapes(a.resources, b.resources);
  return detail === a.detail && resources === a.resources ? a : { ...a, detail, resources };
}
