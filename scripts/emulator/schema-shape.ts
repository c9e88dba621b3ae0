/**
 * The shape of JSON values as schema discovery sees them: inferred from one value, merged across many.
 * Merging only ever widens: a field seen once stays, a field missing from some value stops being required,
 * integer and number widen to number, and types that cannot be reconciled become `any`.
 */
export type Shape =
  | { type: 'null' }
  | { type: 'string'; dateTime: boolean }
  | { type: 'integer' }
  | { type: 'number' }
  | { type: 'boolean' }
  /** `items` is absent while only empty arrays were seen. */
  | { type: 'array'; items?: Shape }
  | ObjectShape
  | { type: 'any' };

export interface ObjectShape {
  type: 'object';
  properties: Map<string, Field>;
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

export function mergeShapes(a: Shape, b: Shape): Shape {
  if (a.type === 'null') return b;
  if (b.type === 'null') return a;
  if (a.type === 'any' || b.type === 'any') return { type: 'any' };
  if (a.type === 'string' && b.type === 'string') return { type: 'string', dateTime: a.dateTime && b.dateTime };
  if (a.type === 'array' && b.type === 'array') {
    const items = a.items && b.items ? mergeShapes(a.items, b.items) : (a.items ?? b.items);
    return items ? { type: 'array', items } : { type: 'array' };
  }
  if (a.type === 'object' && b.type === 'object') return mergeObjects(a, b);
  if (a.type === b.type) return a;
  const numeric = new Set(['integer', 'number']);
  if (numeric.has(a.type) && numeric.has(b.type)) return { type: 'number' };
  return { type: 'any' };
}

export function mergeObjects(a: ObjectShape, b: ObjectShape): ObjectShape {
  const properties = new Map<string, Field>();
  for (const [key, field] of a.properties) {
    const other = b.properties.get(key);
    properties.set(
      key,
      other
        ? { shape: mergeShapes(field.shape, other.shape), required: field.required && other.required }
        : { shape: field.shape, required: false },
    );
  }
  for (const [key, field] of b.properties) {
    if (!a.properties.has(key)) properties.set(key, { shape: field.shape, required: false });
  }
  return { type: 'object', properties };
}

export function mergeEvents(a: EventShape, b: EventShape): EventShape {
  return { ...a, detail: mergeObjects(a.detail, b.detail), resources: mergeShapes(a.resources, b.resources) };
}
