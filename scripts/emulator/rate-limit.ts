import { FaultConfigError } from './errors';

export interface RateLimit {
  /** Calls the service accepts per second, sustained, across both services and all operations. */
  callsPerSecond: number;
  /** Calls it accepts at once after a quiet spell (the bucket's size); default callsPerSecond, at least 1. */
  burst?: number;
}

function checkRateLimit({ callsPerSecond, burst }: RateLimit): void {
  if (!(Number.isFinite(callsPerSecond) && callsPerSecond > 0)) {
    throw new FaultConfigError(`callsPerSecond must be a finite number > 0, got ${callsPerSecond}`);
  }
  if (burst !== undefined && !(Number.isFinite(burst) && burst >= 1)) {
    throw new FaultConfigError(`burst must be a finite number >= 1, got ${burst}`);
  }
}

/**
 * A token bucket, the way AWS describes its API rate limits: it holds up to `burst` tokens, refills at
 * `callsPerSecond`, and each call takes one; a call that finds it empty is throttled and takes nothing.
 * https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
 */
export class TokenBucket {
  private readonly capacity: number;
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {
    checkRateLimit(limit);
    this.capacity = Math.max(1, limit.burst ?? limit.callsPerSecond);
    this.tokens = this.capacity;
    this.refilledAt = this.now();
  }

  /** True when the call may proceed (a token was taken), false when it is throttled. */
  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.limit.callsPerSecond);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
