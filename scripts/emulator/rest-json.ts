import { SerializationError, type ServiceError, UnknownOperationError } from './errors';
import type { MemberRef, OperationDef, SmithyModel } from './model';
import {
  type DecodedCall,
  errorBody,
  errorStatus,
  serializeShape,
  type WireAnswer,
  type WireProtocol,
  type WireRequest,
} from './protocol';

type Segment = { literal: string } | { label: string; greedy: boolean };

interface Route {
  operation: OperationDef;
  method: string;
  segments: Segment[];
  literals: number;
}

const BINDINGS = ['smithy.api#httpLabel', 'smithy.api#httpQuery', 'smithy.api#httpHeader', 'smithy.api#httpPayload'];

/** restJson1: routes by the model's `smithy.api#http` method + URI pattern, binds labels, queries and body. */
export class RestJsonProtocol implements WireProtocol {
  private readonly routes: Route[];

  constructor(
    readonly model: SmithyModel,
    private readonly badRequestCode: string,
  ) {
    this.routes = model.operations().flatMap((operation) => (operation.http ? [compileRoute(operation)] : []));
  }

  decode(request: WireRequest): DecodedCall {
    const url = new URL(request.url, 'http://emulator');
    const parts = url.pathname.split('/').slice(1);
    let best: { route: Route; labels: Record<string, string> } | undefined;
    for (const route of this.routes) {
      if (route.method !== request.method || (best && best.route.literals >= route.literals)) continue;
      const labels = matchSegments(route.segments, parts);
      if (labels) best = { route, labels };
    }
    if (!best) throw new UnknownOperationError(`${request.method} ${url.pathname}`);
    const operation = best.route.operation.name;
    const input: Record<string, unknown> = {};
    const inputShape = this.model.shape(best.route.operation.input);
    const body = this.parseBody(operation, request.body);
    for (const [name, member] of Object.entries(inputShape.members ?? {})) {
      const traits = member.traits ?? {};
      let value: unknown;
      if ('smithy.api#httpLabel' in traits) value = this.decodeLabel(operation, best.labels[name]);
      else if ('smithy.api#httpQuery' in traits) value = this.queryValue(member, url.searchParams, operation);
      else if ('smithy.api#httpHeader' in traits) value = request.headers[String(traits['smithy.api#httpHeader'])];
      else if ('smithy.api#httpPayload' in traits) value = body;
      else value = isRecord(body) ? body[String(traits['smithy.api#jsonName'] ?? name)] : undefined;
      if (value !== undefined) input[name] = value;
    }
    return { operation, input };
  }

  encodeOutput(operation: string, output: object | undefined): WireAnswer {
    const definition = this.model.operation(operation);
    const members = definition ? (this.model.shape(definition.output).members ?? {}) : {};
    const values = (output ?? {}) as Record<string, unknown>;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const body: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(members)) {
      const traits = member.traits ?? {};
      const headerName = traits['smithy.api#httpHeader'];
      if (headerName !== undefined && values[name] !== undefined) headers[String(headerName)] = String(values[name]);
      if (BINDINGS.some((binding) => binding in traits)) continue;
      const serialized = serializeShape(this.model, member, values[name], { useJsonName: true });
      if (serialized !== undefined) body[String(traits['smithy.api#jsonName'] ?? name)] = serialized;
    }
    const status = definition?.http?.code ?? 200;
    if (status === 204) return { status, headers, body: '' };
    return { status, headers, body: JSON.stringify(body) };
  }

  encodeError(error: ServiceError): WireAnswer {
    return {
      status: errorStatus(this.model, error),
      headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': error.code },
      body: JSON.stringify(errorBody(this.model, error, ['Code', 'Message'])),
    };
  }

  private parseBody(operation: string, text: string): unknown {
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new SerializationError(operation, this.badRequestCode, 'The request body is not valid JSON');
    }
  }

  private decodeLabel(operation: string, raw: string | undefined): string | undefined {
    if (raw === undefined) return undefined;
    try {
      return decodeURIComponent(raw);
    } catch {
      throw new SerializationError(operation, this.badRequestCode, `Malformed URI label: ${raw}`);
    }
  }

  private queryValue(member: MemberRef, query: URLSearchParams, operation: string): unknown {
    const key = String(member.traits?.['smithy.api#httpQuery']);
    const type = this.model.shape(member.target).type;
    if (type === 'list' || type === 'set') return query.has(key) ? query.getAll(key) : undefined;
    const raw = query.get(key);
    if (raw === null) return undefined;
    if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
    if (!['integer', 'long', 'short', 'byte', 'float', 'double'].includes(type)) return raw;
    const number = Number(raw);
    if (raw.trim() === '' || Number.isNaN(number)) {
      throw new SerializationError(operation, this.badRequestCode, `Query parameter ${key} must be a number`);
    }
    return number;
  }
}

function compileRoute(operation: OperationDef): Route {
  const http = operation.http as NonNullable<OperationDef['http']>;
  const path = http.uri.split('?')[0] ?? '';
  const segments: Segment[] = path
    .split('/')
    .slice(1)
    .map((part) => {
      const label = /^\{(\w+)(\+?)\}$/.exec(part);
      return label ? { label: label[1] as string, greedy: label[2] === '+' } : { literal: part };
    });
  return { operation, method: http.method, segments, literals: segments.filter((s) => 'literal' in s).length };
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const part = parts[index];
    if ('literal' in segment) {
      if (part !== segment.literal) return undefined;
    } else if (segment.greedy) {
      labels[segment.label] = parts.slice(index).join('/');
      return labels;
    } else {
      if (part === undefined || part === '') return undefined;
      labels[segment.label] = part;
    }
  }
  return parts.length === segments.length ? labels : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
