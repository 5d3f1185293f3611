/**
 * A RateLimiter that forwards to the limiter under test and records every token it
 * granted, with the moments the request was made and answered: the grant happened
 * somewhere between the two, which is all a case may assume about a remote limiter.
 * Main thread only.
 */
import type { RateLimit, RateLimitDecision, RateLimiter } from '@stem/core';

export interface RecordedGrant {
  key: string;
  /** Epoch ms at which the worker asked. */
  requestedAt: number;
  /** Epoch ms at which the grant came back. */
  answeredAt: number;
}

export class RecordingRateLimiter implements RateLimiter {
  readonly grants: RecordedGrant[] = [];
  /** Requests refused, per key. */
  readonly refusals = new Map<string, number>();
  readonly #inner: RateLimiter;

  /** @param inner the limiter under test; not closed by this wrapper */
  constructor(inner: RateLimiter) {
    this.#inner = inner;
  }

  /** Grants of one key, in the order they were asked for. */
  grantsOf(key: string): RecordedGrant[] {
    return this.grants
      .filter((grant) => grant.key === key)
      .sort((left, right) => left.requestedAt - right.requestedAt);
  }

  async acquire(key: string, limit: RateLimit, tokens?: number): Promise<RateLimitDecision> {
    const requestedAt = Date.now();
    const decision = await this.#inner.acquire(key, limit, tokens);
    if (decision.granted) this.grants.push({ key, requestedAt, answeredAt: Date.now() });
    else this.refusals.set(key, (this.refusals.get(key) ?? 0) + 1);
    return decision;
  }

  /** Closes nothing: the wrapped limiter belongs to whoever opened it. */
  async close(): Promise<void> {}
}
