/**
 * A RateLimiter whose buckets live in this process's memory. Instances given the same
 * state share buckets, like workers sharing one Redis. Runs on the caller's thread;
 * each acquire is one synchronous read-compute-write, so it is atomic by construction.
 */
import { ClosedError } from '../errors/errors';
import type { RateLimit, RateLimitDecision, RateLimiter } from './rate-limiter';
import { type TokenBucket, takeTokens } from './token-bucket';

/** The buckets shared by every InMemoryRateLimiter built on it (one memory:// name). */
export class InMemoryRateLimiterState {
  /** Bucket per rate-limit key. */
  readonly buckets = new Map<string, TokenBucket>();
}

export interface InMemoryRateLimiterOptions {
  /** Share buckets with other instances. @default a fresh, private state */
  state?: InMemoryRateLimiterState;
}

export class InMemoryRateLimiter implements RateLimiter {
  readonly #state: InMemoryRateLimiterState;
  #closed = false;

  constructor(options: InMemoryRateLimiterOptions = {}) {
    this.#state = options.state ?? new InMemoryRateLimiterState();
  }

  /** Takes `tokens` (@default 1) from `key`'s bucket; see `takeTokens` for the math. */
  async acquire(key: string, limit: RateLimit, tokens = 1): Promise<RateLimitDecision> {
    if (this.#closed) throw new ClosedError('InMemoryRateLimiter');
    const { bucket, decision } = takeTokens(
      this.#state.buckets.get(key),
      limit,
      tokens,
      Date.now(),
    );
    this.#state.buckets.set(key, bucket);
    return decision;
  }

  /** Detaches this instance; the shared buckets stay for the others. */
  async close(): Promise<void> {
    this.#closed = true;
  }
}
