import type { EventShape, ObjectShape, Shape, TypedShape } from './schema-shape';

/**
 * Renders a discovered event shape the way EventBridge writes discovered schemas. The layout follows the schema
 * the EventBridge User Guide shows for an inferred Step Functions event ("Creating a schema from event JSON",
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-schemas-infer-from-json.html): OpenAPI 3.0.0,
 * `info.title` the detail-type in PascalCase, `paths: {}`, `components.schemas.AWSEvent` with the envelope,
 * `x-amazon-events-detail-type` / `x-amazon-events-source`, `detail` a `$ref` to a schema named like the title,
 * `required` listing every field the events carried (null-valued ones too), `time` a date-time, integers
 * `integer`/`int64`, a field only ever null `{}`, and `resources` of an event without any an array of `object`.
 */
export type JsonSchema = { [key: string]: unknown };

export interface OpenApiDocument {
  openapi: '3.0.0';
  info: { version: '1.0.0'; title: string };
  paths: Record<string, never>;
  components: { schemas: Record<string, JsonSchema> };
}

const AWS_EVENT = 'AWSEvent';
// The order the User Guide's example lists them in.
const ENVELOPE_REQUIRED = [
  'detail-type',
  'resources',
  'detail',
  'id',
  'source',
  'time',
  'region',
  'version',
  'account',
];
const COMPONENTS = '#/components/schemas/';
const DEFINITIONS = '#/definitions/';

/** "Step Functions Execution Status Change" -> "StepFunctionsExecutionStatusChange", "workflow_job" -> "WorkflowJob". */
export function pascalCase(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter((word) => word !== '');
  const name = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
  return name === '' ? 'Detail' : name;
}

/** Names each nested object's schema once, in document order; a name already taken gets `_1`, `_2`, ... */
class ComponentNamer {
  private readonly taken = new Set<string>([AWS_EVENT]);

  claim(base: string): string {
    let name = base;
    for (let suffix = 1; this.taken.has(name); suffix += 1) name = `${base}_${suffix}`;
    this.taken.add(name);
    return name;
  }
}

export function renderOpenApi(event: EventShape): OpenApiDocument {
  const title = pascalCase(event.detailType);
  const schemas: Record<string, JsonSchema> = {};
  const namer = new ComponentNamer();
  const detailName = namer.claim(title);
  // Placeholders first: components appear envelope, detail, then nested objects parent first.
  schemas[AWS_EVENT] = {};
  schemas[detailName] = {};
  schemas[AWS_EVENT] = {
    type: 'object',
    required: ENVELOPE_REQUIRED,
    'x-amazon-events-detail-type': event.detailType,
    'x-amazon-events-source': event.source,
    properties: {
      detail: { $ref: `${COMPONENTS}${detailName}` },
      account: { type: 'string' },
      'detail-type': { type: 'string' },
      id: { type: 'string' },
      region: { type: 'string' },
      resources: renderShape(event.resources, 'Resources', namer, schemas),
      source: { type: 'string' },
      time: { type: 'string', format: 'date-time' },
      version: { type: 'string' },
    },
  };
  schemas[detailName] = renderObject(event.detail, namer, schemas);
  return { openapi: '3.0.0', info: { version: '1.0.0', title }, paths: {}, components: { schemas } };
}

function renderObject(shape: ObjectShape, namer: ComponentNamer, schemas: Record<string, JsonSchema>): JsonSchema {
  const keys = [...shape.properties.keys()].sort();
  const required = keys.filter((key) => shape.properties.get(key)?.required);
  // fromEntries: a field named __proto__ becomes a property like any other.
  const properties = Object.fromEntries(
    keys.map((key) => [key, renderShape((shape.properties.get(key) as { shape: Shape }).shape, key, namer, schemas)]),
  );
  return { type: 'object', ...(required.length > 0 ? { required } : {}), properties };
}

function renderShape(
  shape: Shape,
  name: string,
  namer: ComponentNamer,
  schemas: Record<string, JsonSchema>,
): JsonSchema {
  if (shape.type === 'null' || shape.type === 'any') return {};
  const rendered = renderType(shape, name, namer, schemas);
  if (!shape.nullable) return rendered;
  // OpenAPI 3.0 ignores the siblings of a $ref, so a nullable reference goes through allOf.
  return '$ref' in rendered ? { nullable: true, allOf: [rendered] } : { ...rendered, nullable: true };
}

function renderType(
  shape: TypedShape,
  name: string,
  namer: ComponentNamer,
  schemas: Record<string, JsonSchema>,
): JsonSchema {
  switch (shape.type) {
    case 'string':
      return shape.dateTime ? { type: 'string', format: 'date-time' } : { type: 'string' };
    case 'integer':
      return { type: 'integer', format: 'int64' };
    case 'number':
      return { type: 'number', format: 'double' };
    case 'boolean':
      return { type: 'boolean' };
    case 'array':
      return {
        type: 'array',
        items: shape.items ? renderShape(shape.items, `${name}Item`, namer, schemas) : { type: 'object' },
      };
    case 'object': {
      const component = namer.claim(pascalCase(name));
      schemas[component] = {};
      schemas[component] = renderObject(shape, namer, schemas);
      return { $ref: `${COMPONENTS}${component}` };
    }
  }
}

/**
 * The JSON Schema draft 4 form ExportSchema answers: the AWSEvent schema at the root, the other components
 * under `definitions`, references rewritten to point there, OpenAPI's `nullable` turned into a `null` type.
 */
export function toJsonSchemaDraft4(document: OpenApiDocument): JsonSchema {
  const { [AWS_EVENT]: root, ...definitions } = document.components.schemas;
  return {
    $schema: 'http://json-schema.org/draft-04/schema#',
    title: document.info.title,
    definitions: mapValues(definitions, toDraft4),
    ...toDraft4(root ?? {}),
  };
}

/** One schema node; only keywords are looked at, never the names under `properties`. */
function toDraft4(node: JsonSchema): JsonSchema {
  const converted: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable') continue;
    if (key === '$ref') converted.$ref = String(value).replace(COMPONENTS, DEFINITIONS);
    else if (key === 'properties') converted.properties = mapValues(value as Record<string, JsonSchema>, toDraft4);
    else if (key === 'items') converted.items = toDraft4(value as JsonSchema);
    else if (key === 'allOf') converted.allOf = (value as JsonSchema[]).map(toDraft4);
    else converted[key] = value;
  }
  if (node.nullable !== true) return converted;
  if (typeof converted.type === 'string') return { ...converted, type: [converted.type, 'null'] };
  const { allOf, ...rest } = converted;
  return { ...rest, anyOf: [...((allOf as JsonSchema[] | undefined) ?? []), { type: 'null' }] };
}

function mapValues(record: Record<string, JsonSchema>, map: (schema: JsonSchema) => JsonSchema): JsonSchema {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

export function schemaContent(document: object): string {
  return JSON.stringify(document, null, 2);
}
