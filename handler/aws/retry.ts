import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';
import { log } from '../log';

// Waits grow from these bases, doubling per attempt up to the cap, and are jittered ("equal jitter": half fixed,
// half random) so many stacks throttled at once spread out instead of retrying in lockstep.
// https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
const THROTTLING_BASE_MS = 500;
const TRANSIENT_BASE_MS = 100;
const CAP_MS = 5_000;

// Not in the SDK's transient list, but the EventBridge model declares it for UpdateEventBus, TagResource and
// UntagResource: another change to the same resource was in progress, and the same call succeeds once it is done.
const CONCURRENT_MODIFICATION = 'ConcurrentModificationException';

/** Which operation an attempt's error came from (set by the client's per-attempt middleware), for the log line. */
export type OperationOf = (error: unknown) => string | undefined;

const nameOf = (error: unknown): string =>
  typeof error === 'object' && error !== null && typeof (error as Error).name === 'string'
    ? (error as Error).name
    : 'Error';

export const isRetryable = ({ errorType, error }: RetryErrorInfo): boolean =>
  nameOf(error) !== 'AbortError' && (errorType !== 'CLIENT_ERROR' || nameOf(error) === CONCURRENT_MODIFICATION);

/** The wait before retry number `retry` (1-based): capped exponential, jittered into [delay / 2, delay]. */
export const backoffMs = (retry: number, throttled: boolean, random = Math.random): number => {
  const delay = Math.min(CAP_MS, (throttled ? THROTTLING_BASE_MS : TRANSIENT_BASE_MS) * 2 ** (retry - 1));
  return Math.round(delay / 2 + (random() * delay) / 2);
};

/**
 * A Retry-After hint as a wait, at most the backoff cap: a longer hint (an hour, or a date far enough ahead to
 * overflow a timer into firing at once) would be waited out by no request, whose own deadline ends retries anyway.
 */
export const hintedMs = (hint: Date | undefined): number => {
  const ms = hint ? hint.getTime() - Date.now() : 0;
  return Number.isFinite(ms) ? Math.min(CAP_MS, Math.max(0, ms)) : 0;
};

// The SDK's retry middleware sleeps for the token's delay, racing the call's AbortSignal.
const token = (retries: number, delayMs: number): RetryToken => ({
  getRetryCount: () => retries,
  getRetryDelay: () => delayMs,
});

/**
 * Retries throttling, 5xx, timeouts, dropped connections and ConcurrentModificationException for as long as the
 * request's AbortSignal allows, not for a fixed number of attempts; everything else fails at once. There is no
 * retry quota: the SDK's standard strategy shares a token bucket across calls, so a storm that empties it would
 * end retries for a request that still has most of its time. The signal (aborted at the request's deadline)
 * ends the wait: the SDK races each backoff against it.
 */
export class DeadlineRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';

  constructor(private readonly operationOf: OperationOf) {}

  async acquireInitialRetryToken(_scope?: string): Promise<RetryToken> {
    return token(0, 0);
  }

  async refreshRetryTokenForRetry(previous: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    if (!isRetryable(errorInfo)) throw errorInfo.error;
    const retry = previous.getRetryCount() + 1;
    const waitMs = Math.max(hintedMs(errorInfo.retryAfterHint), backoffMs(retry, errorInfo.errorType === 'THROTTLING'));
    log('INFO', 'aws retry', {
      operation: this.operationOf(errorInfo.error),
      errorName: nameOf(errorInfo.error),
      retry,
      waitMs,
    });
    return token(retry, waitMs);
  }

  recordSuccess(): void {}
}
