/**
 * The RateLimiter contract: a token bucket per key (task name + optional tenant),
 * shared by every worker that uses the same store.
 */

export interface RateLimit {
  /** Tokens added per `periodMs`: the sustained rate. */
  limit: number;
  periodMs: number;
  /** Bucket capacity: how many may run at once after idling. @default limit */
  burst?: number;
}

export type RateLimitDecision = { granted: true } | { granted: false; retryAfterMs: number };

export interface RateLimiter {
  /** Takes `tokens` (default 1) from the bucket of `key` or says when to ask again. */
  acquire(key: string, limit: RateLimit, tokens?: number): Promise<RateLimitDecision>;
  close(): Promise<void>;
}

/** The key a task's bucket lives under: task name, plus the tenant where one is given. */
export function rateLimitKey(taskName: string, tenant?: string): string {
  return tenant === undefined ? taskName : `${taskName}:${tenant}`;
}
