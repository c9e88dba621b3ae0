import type { RetryErrorInfo, RetryErrorType } from '@smithy/types';
import { backoffMs, DeadlineRetryStrategy, hintedMs, isRetryable } from '../../../handler/aws/retry';
import { captureLogs } from '../../fixtures/capture-logs';

const named = (name: string): Error => Object.assign(new Error(name), { name });
const info = (errorType: RetryErrorType, name = 'SomeError', extra: Partial<RetryErrorInfo> = {}): RetryErrorInfo => ({
  errorType,
  error: named(name) as RetryErrorInfo['error'],
  ...extra,
});

describe('isRetryable', () => {
  it.each<RetryErrorType>(['THROTTLING', 'TRANSIENT', 'SERVER_ERROR'])('retries a %s error', (type) => {
    // Act
    const retry = isRetryable(info(type));
    // Assess
    expect(retry).toBe(true);
  });

  it('retries ConcurrentModificationException, which the SDK counts as a client error', () => {
    // Act
    const retry = isRetryable(info('CLIENT_ERROR', 'ConcurrentModificationException'));
    // Assess
    expect(retry).toBe(true);
  });

  it.each(['ValidationException', 'AccessDeniedException', 'ResourceNotFoundException', 'ConflictException'])(
    'fails %s at once',
    (name) => {
      // Act
      const retry = isRetryable(info('CLIENT_ERROR', name));
      // Assess
      expect(retry).toBe(false);
    },
  );

  it('never retries an aborted call, whatever its type', () => {
    // Act
    const retry = isRetryable(info('TRANSIENT', 'AbortError'));
    // Assess
    expect(retry).toBe(false);
  });
});

describe('backoffMs', () => {
  it('doubles from 500 ms for throttling and from 100 ms otherwise, jittered into [delay / 2, delay]', () => {
    // Act
    const lowest = [1, 2, 3].map((retry) => backoffMs(retry, true, () => 0));
    const highest = [1, 2, 3].map((retry) => backoffMs(retry, true, () => 1));
    const transient = [1, 2, 3].map((retry) => backoffMs(retry, false, () => 1));
    // Assess
    expect(lowest).toEqual([250, 500, 1_000]);
    expect(highest).toEqual([500, 1_000, 2_000]);
    expect(transient).toEqual([100, 200, 400]);
  });

  it('caps the wait at 5 s however many retries came before', () => {
    // Act
    const late = [5, 10, 40, 1_000].map((retry) => backoffMs(retry, true, () => 1));
    // Assess
    expect(late).toEqual([5_000, 5_000, 5_000, 5_000]);
    expect(backoffMs(1_000, true, () => 0)).toBe(2_500);
  });
});

describe('DeadlineRetryStrategy', () => {
  const strategy = () => new DeadlineRetryStrategy(() => 'CreateEventBus');

  it('keeps retrying throttling well past the SDK’s standard 3 attempts', async () => {
    // Prepare
    const retries = strategy();
    let token = await retries.acquireInitialRetryToken('');
    // Act
    for (let attempt = 0; attempt < 20; attempt += 1) {
      token = await retries.refreshRetryTokenForRetry(token, info('THROTTLING', 'TooManyRequestsException'));
    }
    // Assess
    expect(token.getRetryCount()).toBe(20);
    expect(token.getRetryDelay()).toBeLessThanOrEqual(5_000);
  });

  it('refuses to retry a permanent error, rethrowing it', async () => {
    // Prepare
    const retries = strategy();
    const token = await retries.acquireInitialRetryToken('');
    const denied = info('CLIENT_ERROR', 'AccessDeniedException');
    // Act
    const refresh = retries.refreshRetryTokenForRetry(token, denied);
    // Assess
    await expect(refresh).rejects.toBe(denied.error);
  });

  it('waits at least as long as the service asked with Retry-After', async () => {
    // Prepare
    const retries = strategy();
    const token = await retries.acquireInitialRetryToken('');
    // Act
    const next = await retries.refreshRetryTokenForRetry(
      token,
      info('THROTTLING', 'ThrottlingException', { retryAfterHint: new Date(Date.now() + 3_000) }),
    );
    // Assess: its own first backoff would be at most 500 ms.
    expect(next.getRetryDelay()).toBeGreaterThan(2_900);
    expect(next.getRetryDelay()).toBeLessThanOrEqual(3_000);
  });

  it('backs off from 500 ms when throttled and from 100 ms otherwise', async () => {
    // Prepare
    jest.spyOn(Math, 'random').mockReturnValue(1);
    const retries = strategy();
    const first = await retries.acquireInitialRetryToken('');
    // Act
    const throttled = await retries.refreshRetryTokenForRetry(first, info('THROTTLING', 'ThrottlingException'));
    const transient = await retries.refreshRetryTokenForRetry(first, info('TRANSIENT', 'TimeoutError'));
    // Assess
    expect([throttled.getRetryDelay(), transient.getRetryDelay()]).toEqual([500, 100]);
  });

  it.each([
    ['null', null],
    ['an object without a name', {}],
  ])('retries and logs, as Error, an attempt that failed with %s', async (_, error) => {
    // Prepare
    const retries = strategy();
    const logs = captureLogs();
    // Act
    await retries.refreshRetryTokenForRetry(await retries.acquireInitialRetryToken(''), {
      errorType: 'TRANSIENT',
      error: error as unknown as RetryErrorInfo['error'],
    });
    // Assess
    expect(logs.entries()).toEqual([expect.objectContaining({ message: 'aws retry', errorName: 'Error' })]);
  });

  it('logs each retry as one line with the operation, the error and the wait', async () => {
    // Prepare
    const retries = strategy();
    const logs = captureLogs();
    // Act
    const token = await retries.refreshRetryTokenForRetry(
      await retries.acquireInitialRetryToken(''),
      info('THROTTLING', 'TooManyRequestsException'),
    );
    // Assess
    expect(logs.entries()).toEqual([
      expect.objectContaining({
        message: 'aws retry',
        operation: 'CreateEventBus',
        errorName: 'TooManyRequestsException',
        retry: 1,
        waitMs: token.getRetryDelay(),
      }),
    ]);
  });
});

describe('hintedMs', () => {
  it('waits what a Retry-After of a few seconds asks', () => {
    // Act
    const wait = hintedMs(new Date(Date.now() + 3_000));
    // Assess
    expect(wait).toBeGreaterThan(2_900);
    expect(wait).toBeLessThanOrEqual(3_000);
  });

  it.each([
    ['an hour', new Date(Date.now() + 3_600_000)],
    ['a date far enough ahead to overflow a timer', new Date(8.64e15)],
  ])('waits at most the 5 s cap for %s', (_, hint) => {
    // Act & Assess
    expect(hintedMs(hint)).toBe(5_000);
  });

  it.each([
    ['no hint', undefined],
    ['a date in the past', new Date(Date.now() - 60_000)],
    ['an invalid date', new Date(Number.NaN)],
  ])('does not wait for %s', (_, hint) => {
    // Act & Assess
    expect(hintedMs(hint)).toBe(0);
  });
});
