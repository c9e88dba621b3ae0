import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelError } from './errors';

export type ServiceName = 'events' | 'schemas';
export type Traits = Record<string, unknown>;

export interface MemberRef {
  target: string;
  traits?: Traits;
}

export interface Shape {
  type: string;
  traits?: Traits;
  members?: Record<string, MemberRef>;
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  input?: { target: string };
  output?: { target: string };
  errors?: { target: string }[];
}

export interface HttpBinding {
  method: string;
  uri: string;
  code: number;
}

export interface OperationDef {
  name: string;
  input: string;
  output: string;
  errors: string[];
  http?: HttpBinding;
}

export interface ErrorDef {
  name: string;
  status: number;
  /** Member names of the error shape, e.g. `message` (EventBridge) or `Code`/`Message` (Schemas). */
  members: string[];
}

const MODEL_FILES: Record<ServiceName, string> = { events: 'eventbridge.json', schemas: 'schemas.json' };
const UNIT = 'smithy.api#Unit';

// Prelude shapes are not in the model files; their type is their name.
const PRELUDE: Record<string, Shape> = {
  [UNIT]: { type: 'structure', members: {} },
  'smithy.api#String': { type: 'string' },
  'smithy.api#Boolean': { type: 'boolean' },
  'smithy.api#PrimitiveBoolean': { type: 'boolean' },
  'smithy.api#Integer': { type: 'integer' },
  'smithy.api#PrimitiveInteger': { type: 'integer' },
  'smithy.api#Long': { type: 'long' },
  'smithy.api#PrimitiveLong': { type: 'long' },
  'smithy.api#Double': { type: 'double' },
  'smithy.api#Float': { type: 'float' },
  'smithy.api#Timestamp': { type: 'timestamp' },
  'smithy.api#Blob': { type: 'blob' },
  'smithy.api#Document': { type: 'document' },
};

/** One service's Smithy JSON AST, indexed for the lookups the emulator makes per request. */
export class SmithyModel {
  readonly serviceShapeName: string;
  readonly protocol: 'awsJson1_1' | 'restJson1';
  private readonly operationsByName = new Map<string, OperationDef>();
  private readonly errorsByName = new Map<string, ErrorDef>();

  constructor(
    readonly service: ServiceName,
    private readonly shapes: Record<string, Shape>,
  ) {
    const serviceEntry = Object.entries(shapes).find(([, shape]) => shape.type === 'service');
    if (!serviceEntry) throw new ModelError(`No service shape in the ${service} model`);
    const [serviceId, serviceShape] = serviceEntry;
    this.serviceShapeName = localName(serviceId);
    const traits = serviceShape.traits ?? {};
    if ('aws.protocols#awsJson1_1' in traits) this.protocol = 'awsJson1_1';
    else if ('aws.protocols#restJson1' in traits) this.protocol = 'restJson1';
    else throw new ModelError(`The ${service} model uses a protocol the emulator does not speak`);
    for (const [id, shape] of Object.entries(shapes)) {
      if (shape.type === 'operation') this.indexOperation(id, shape);
      if (shape.traits && 'smithy.api#error' in shape.traits) this.indexError(id, shape);
    }
  }

  shape(id: string): Shape {
    const shape = this.shapes[id] ?? PRELUDE[id];
    if (!shape) throw new ModelError(`Shape ${id} is not in the ${this.service} model`);
    return shape;
  }

  operation(name: string): OperationDef | undefined {
    return this.operationsByName.get(name);
  }

  operations(): OperationDef[] {
    return [...this.operationsByName.values()];
  }

  error(name: string): ErrorDef | undefined {
    return this.errorsByName.get(name);
  }

  private indexOperation(id: string, shape: Shape): void {
    const http = shape.traits?.['smithy.api#http'] as { method: string; uri: string; code?: number } | undefined;
    const name = localName(id);
    this.operationsByName.set(name, {
      name,
      input: shape.input?.target ?? UNIT,
      output: shape.output?.target ?? UNIT,
      errors: (shape.errors ?? []).map((error) => localName(error.target)),
      ...(http ? { http: { method: http.method, uri: http.uri, code: http.code ?? 200 } } : {}),
    });
  }

  private indexError(id: string, shape: Shape): void {
    const traits = shape.traits ?? {};
    const fault = traits['smithy.api#error'];
    const explicit = traits['smithy.api#httpError'];
    const status = typeof explicit === 'number' ? explicit : fault === 'server' ? 500 : 400;
    const name = localName(id);
    this.errorsByName.set(name, { name, status, members: Object.keys(shape.members ?? {}) });
  }
}

export function localName(shapeId: string): string {
  return shapeId.slice(shapeId.indexOf('#') + 1);
}

export function memberTrait<T>(member: MemberRef, shape: Shape, trait: string): T | undefined {
  return (member.traits?.[trait] ?? shape.traits?.[trait]) as T | undefined;
}

const loaded = new Map<ServiceName, SmithyModel>();

export function modelPath(service: ServiceName): string {
  return join(__dirname, '..', '..', 'models', 'aws', MODEL_FILES[service]);
}

/** Parses the model file on first use only: the server must not do heavy work per request. */
export function loadModel(service: ServiceName): SmithyModel {
  const cached = loaded.get(service);
  if (cached) return cached;
  const json = JSON.parse(readFileSync(modelPath(service), 'utf8')) as { shapes?: Record<string, Shape> };
  if (!json.shapes) throw new ModelError(`${modelPath(service)} is not a Smithy JSON AST`);
  const model = new SmithyModel(service, json.shapes);
  loaded.set(service, model);
  return model;
}
