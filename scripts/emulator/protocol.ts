import type { IncomingHttpHeaders } from 'node:http';
import type { ServiceError } from './errors';
import { type MemberRef, memberTrait, type SmithyModel } from './model';

export interface WireRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface DecodedCall {
  operation: string;
  input: Record<string, unknown>;
}

export interface WireAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Turns HTTP requests into (operation, input) and outputs or errors back into HTTP answers. */
export interface WireProtocol {
  readonly model: SmithyModel;
  /** Throws UnknownOperationError or SerializationError, both naming the operation for the call log. */
  decode(request: WireRequest): DecodedCall;
  encodeOutput(operation: string, output: object | undefined): WireAnswer;
  encodeError(error: ServiceError): WireAnswer;
}

export interface SerializeOptions {
  /** restJson1 honours jsonName traits; awsJson1_1 always uses member names. */
  useJsonName: boolean;
}

/** Model-driven JSON serialisation of an output value: member names, jsonName, timestamp formats. */
export function serializeShape(model: SmithyModel, ref: MemberRef, value: unknown, options: SerializeOptions): unknown {
  if (value === undefined || value === null) return undefined;
  const shape = model.shape(ref.target);
  switch (shape.type) {
    case 'timestamp':
      return serializeTimestamp(value, memberTrait<string>(ref, shape, 'smithy.api#timestampFormat'));
    case 'list':
    case 'set':
      return shape.member && Array.isArray(value)
        ? value.map((item) => serializeShape(model, shape.member as MemberRef, item, options))
        : value;
    case 'map': {
      if (!shape.value || typeof value !== 'object') return value;
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
      const valueRef = shape.value;
      return Object.fromEntries(entries.map(([key, item]) => [key, serializeShape(model, valueRef, item, options)]));
    }
    case 'structure':
    case 'union': {
      const source = value as Record<string, unknown>;
      const result: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        const serialized = serializeShape(model, member, source[name], options);
        if (serialized === undefined) continue;
        const jsonName = options.useJsonName
          ? (member.traits?.['smithy.api#jsonName'] as string | undefined)
          : undefined;
        result[jsonName ?? name] = serialized;
      }
      return result;
    }
    default:
      return value;
  }
}

function serializeTimestamp(value: unknown, format: string | undefined): unknown {
  const date = value instanceof Date ? value : new Date(value as number);
  if (format === 'date-time') return date.toISOString();
  if (format === 'http-date') return date.toUTCString();
  return date.getTime() / 1000;
}

/** Fills the error shape's own members (e.g. `message`, or `Code` + `Message`) with the error's name and text. */
export function errorBody(model: SmithyModel, error: ServiceError, fallbackMembers: string[]): Record<string, string> {
  const members = model.error(error.code)?.members ?? fallbackMembers;
  const body: Record<string, string> = {};
  for (const member of members) {
    const lower = member.toLowerCase();
    if (lower === 'message') body[member] = error.message;
    if (lower === 'code') body[member] = error.code;
  }
  return body;
}

export function errorStatus(model: SmithyModel, error: ServiceError): number {
  return error.status ?? model.error(error.code)?.status ?? 400;
}

/** The region of a SigV4-signed request, from the credential scope of its Authorization header. */
export function regionOf(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization !== 'string') return undefined;
  return /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\//.exec(authorization)?.[1];
}
