import { SerializationError, type ServiceError, UnknownOperationError } from './errors';
import type { SmithyModel } from './model';
import {
  type DecodedCall,
  errorBody,
  errorStatus,
  serializeShape,
  type WireAnswer,
  type WireProtocol,
  type WireRequest,
} from './protocol';

const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** awsJson1_1: POST / with `X-Amz-Target: <Service>.<Operation>`, JSON bodies named as the model's members. */
export class AwsJsonProtocol implements WireProtocol {
  constructor(readonly model: SmithyModel) {}

  decode(request: WireRequest): DecodedCall {
    const target = String(request.headers['x-amz-target'] ?? '');
    const dot = target.lastIndexOf('.');
    const prefix = target.slice(0, dot);
    const operation = target.slice(dot + 1);
    if (dot < 0 || prefix !== this.model.serviceShapeName || !this.model.operation(operation)) {
      throw new UnknownOperationError(operation || target || 'Unknown');
    }
    if (request.method !== 'POST') {
      throw new SerializationError(operation, 'SerializationException', 'awsJson1_1 requests must be POST');
    }
    if (request.body.trim() === '') return { operation, input: {} };
    let input: unknown;
    try {
      input = JSON.parse(request.body);
    } catch {
      throw new SerializationError(operation, 'SerializationException', 'The request body is not valid JSON');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new SerializationError(operation, 'SerializationException', 'The request body must be a JSON object');
    }
    return { operation, input: input as Record<string, unknown> };
  }

  encodeOutput(operation: string, output: object | undefined): WireAnswer {
    const shape = this.model.operation(operation)?.output;
    const body = shape ? serializeShape(this.model, { target: shape }, output ?? {}, { useJsonName: false }) : {};
    return { status: 200, headers: { 'content-type': CONTENT_TYPE }, body: JSON.stringify(body ?? {}) };
  }

  encodeError(error: ServiceError): WireAnswer {
    const body = { __type: error.code, ...errorBody(this.model, error, ['message']) };
    return {
      status: errorStatus(this.model, error),
      headers: { 'content-type': CONTENT_TYPE },
      body: JSON.stringify(body),
    };
  }
}
