/**
 * The token-bucket arithmetic every rate limiter runs, as a pure function: the
 * in-memory limiter calls it under its own lock-free single thread, and the server
 * adapters mirror it line for line (the Redis script, the Postgres function) so a
 * bucket behaves the same wherever it lives.
 */
import type { RateLimit, RateLimitDecision } from './rate-limiter';

/** A bucket as stored: its level at `updatedAt`; refills are computed lazily from there. */
export interface TokenBucket {
  /** Tokens in the bucket at `updatedAt` (may be fractional). */
  tokens: number;
  /** Epoch ms the level was last computed. */
  updatedAt: number;
}

export interface TakeTokensResult {
  /** The bucket to store back (refilled, and drained when granted). */
  bucket: TokenBucket;
  decision: RateLimitDecision;
}

// Refill is fractional, so `available` can land a hair under an integer it should
// equal; without this tolerance a caller that waited exactly `retryAfterMs` could be
// refused again.
const FLOAT_TOLERANCE = 1e-9;

/**
 * Refills `bucket` for the time since it was last updated, then takes `tokens` if it
 * holds that many. A missing bucket starts full (`burst`). A clock that went backwards
 * (another process with a skewed clock) refills nothing rather than double-counting.
 *
 * @param bucket The stored bucket, or undefined for a key never seen.
 * @param limit `limit` tokens per `periodMs`; capacity `burst` (@default limit).
 * @param tokens How many to take (@default 1 at the call sites); must fit in the capacity.
 * @param nowAt The current time, epoch ms.
 * @returns The bucket to store and the decision; a refusal carries `retryAfterMs`,
 *   the whole ms after which the bucket will hold enough tokens.
 * @throws RangeError for a non-positive limit, period or token count, or more tokens
 *   than the bucket can ever hold (such a request could never be granted).
 */
export function takeTokens(
  bucket: TokenBucket | undefined,
  limit: RateLimit,
  tokens: number,
  nowAt: number,
): TakeTokensResult {
  const capacity = limit.burst ?? limit.limit;
  assertTakeable(limit, capacity, tokens);
  const refillPerMs = limit.limit / limit.periodMs;
  const updatedAt = bucket === undefined ? nowAt : Math.max(bucket.updatedAt, nowAt);
  const elapsedMs = bucket === undefined ? 0 : Math.max(0, nowAt - bucket.updatedAt);
  const available =
    bucket === undefined ? capacity : Math.min(capacity, bucket.tokens + elapsedMs * refillPerMs);

  if (available + FLOAT_TOLERANCE >= tokens) {
    return {
      bucket: { tokens: Math.max(0, available - tokens), updatedAt },
      decision: { granted: true },
    };
  }
  const retryAfterMs = Math.max(1, Math.ceil((tokens - available) / refillPerMs));
  return { bucket: { tokens: available, updatedAt }, decision: { granted: false, retryAfterMs } };
}

function assertTakeable(limit: RateLimit, capacity: number, tokens: number): void {
  if (!(limit.limit > 0)) throw new RangeError(`rate limit must be positive, got ${limit.limit}`);
  if (!(limit.periodMs > 0))
    throw new RangeError(`rate limit periodMs must be positive, got ${limit.periodMs}`);
  if (!(capacity > 0)) throw new RangeError(`rate limit burst must be positive, got ${capacity}`);
  if (!(tokens > 0)) throw new RangeError(`tokens to take must be positive, got ${tokens}`);
  if (tokens > capacity)
    throw new RangeError(`cannot take ${tokens} tokens from a bucket holding at most ${capacity}`);
}
