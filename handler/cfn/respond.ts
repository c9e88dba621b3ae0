import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { log } from '../log';
import { redactText, redactUrl } from './redact';

export type ResponseBody = {
  Status: 'SUCCESS' | 'FAILED';
  Reason?: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  NoEcho?: boolean;
  Data?: Record<string, string>;
};

// CloudFormation rejects a response body over 4096 bytes.
export const MAX_BODY_BYTES = 4096;
const ATTEMPTS = 5;
const ATTEMPT_TIMEOUT_MS = 5_000;
const FIRST_BACKOFF_MS = 200;

const bytes = (body: ResponseBody): number => Buffer.byteLength(JSON.stringify(body));

/** The JSON body, at most 4096 bytes: the Reason is cut to fit, never the JSON. */
export const serializeBody = (body: ResponseBody): string => {
  if (bytes(body) <= MAX_BODY_BYTES) return JSON.stringify(body);
  // Cut between characters (code points), never inside a surrogate pair, which would not be valid UTF-8.
  const reason = Array.from(body.Reason ?? '');
  const withReason = (length: number): ResponseBody => ({ ...body, Reason: `${reason.slice(0, length).join('')}...` });
  // The longest prefix of the Reason that fits (binary search: characters and bytes differ for non-ASCII).
  let low = 0;
  let high = reason.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (bytes(withReason(mid)) <= MAX_BODY_BYTES) low = mid;
    else high = mid - 1;
  }
  const cut = withReason(low);
  if (bytes(cut) <= MAX_BODY_BYTES) return JSON.stringify(cut);
  // Only the echoed identifiers and the attributes are left; without the attributes it can only be a failure.
  const bare: ResponseBody = {
    ...cut,
    Status: 'FAILED',
    Reason: 'Response too large for CloudFormation',
    Data: undefined,
  };
  return JSON.stringify(bare);
};

const put = (url: string, body: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = (target.protocol === 'http:' ? httpRequest : httpsRequest)(
      target,
      {
        method: 'PUT',
        // The URL is signed for an empty content-type; any other value makes S3 refuse it.
        headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
        timeout: ATTEMPT_TIMEOUT_MS,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${ATTEMPT_TIMEOUT_MS} ms`)));
    request.on('error', reject);
    request.end(body);
  });

const pause = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, FIRST_BACKOFF_MS * 2 ** attempt * (0.5 + Math.random())));

/**
 * PUTs the answer to the pre-signed ResponseURL. Network errors and 5xx are retried with jittered backoff, a
 * bounded number of times; it never throws, since there is nobody left to tell.
 */
export const sendResponse = async (url: string, body: ResponseBody): Promise<boolean> => {
  const text = serializeBody(body);
  const where = redactUrl(url);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const status = await put(url, text);
      if (status >= 200 && status < 300) {
        log('INFO', 'response sent', { url: where, status: body.Status, httpStatus: status, attempt });
        return true;
      }
      log('WARN', 'response refused', { url: where, httpStatus: status, attempt });
      if (status < 500) return false;
    } catch (error) {
      const message = redactText((error as Error).message ?? String(error), url);
      log('WARN', 'response not delivered', { url: where, attempt, error: { name: (error as Error).name, message } });
    }
    if (attempt < ATTEMPTS) await pause(attempt - 1);
  }
  log('ERROR', 'response never delivered; the stack waits for its timeout', { url: where });
  return false;
};
