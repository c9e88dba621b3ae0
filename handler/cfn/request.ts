import { cutText } from '../log';
/** A CloudFormation custom-resource request, checked for the fields the protocol needs. */
export type CfnRequest = {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  ResourceType: string;
  PhysicalResourceId?: string;
  ResourceProperties: unknown;
  OldResourceProperties?: unknown;
};

export type ReadRequest =
  | { ok: true; request: CfnRequest }
  | { ok: false; problem: string; request: Partial<Record<keyof CfnRequest, unknown>> };

const REQUEST_TYPES = ['Create', 'Update', 'Delete'];
const FIELDS = ['ResponseURL', 'StackId', 'RequestId', 'LogicalResourceId'] as const;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Reads the envelope without trusting it: anything missing becomes a named problem, never a crash. */
export const readRequest = (event: unknown): ReadRequest => {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    return { ok: false, problem: 'the event is not an object', request: {} };
  }
  const raw = event as Record<string, unknown>;
  const own = (key: string): unknown => (Object.hasOwn(raw, key) ? raw[key] : undefined);
  const request = Object.fromEntries(
    [...FIELDS, 'RequestType', 'ResourceType', 'PhysicalResourceId', 'ResourceProperties', 'OldResourceProperties'].map(
      (key) => [key, own(key)],
    ),
  ) as Partial<Record<keyof CfnRequest, unknown>>;
  const missing = FIELDS.filter((key) => !text(request[key]));
  if (missing.length > 0) return { ok: false, problem: `missing or not a string: ${missing.join(', ')}`, request };
  if (!REQUEST_TYPES.includes(text(request.RequestType) ?? '')) {
    return {
      ok: false,
      problem: `unknown RequestType ${cutText(JSON.stringify(request.RequestType) ?? 'undefined', 40)}`,
      request,
    };
  }
  if (request.RequestType !== 'Create' && !text(request.PhysicalResourceId)) {
    return { ok: false, problem: `a ${request.RequestType} request needs a PhysicalResourceId`, request };
  }
  return { ok: true, request: { ...request, ResourceType: text(request.ResourceType) ?? '' } as CfnRequest };
};
