import assert from 'node:assert/strict';
import type { RateLimit, RateLimiter } from '@stem/core';
import { sleep } from '../conformance-case';
import type { RateLimiterCase } from './rate-limiter-case';

const LIMIT: RateLimit = { limit: 20, periodMs: 1_000, burst: 5 };
const HAMMER_MS = 1_500;
const LOOPS = 4;

async function hammer(limiter: RateLimiter, untilAt: number): Promise<number> {
  let granted = 0;
  while (Date.now() < untilAt) {
    const decision = await limiter.acquire('hammered', LIMIT);
    if (decision.granted) granted += 1;
    // Yield to the other loops without honouring retryAfterMs: this is a stress test.
    await sleep(decision.granted ? 0 : 2);
  }
  return granted;
}

export const neverExceedsRateUnderConcurrency: RateLimiterCase = {
  name: 'never-exceeds-rate-under-concurrency',
  promise:
    'however many workers hammer one key, grants never exceed burst plus the rate over the elapsed time',
  timeoutMs: 15_000,
  async run(resources) {
    const limiters = [await resources.open(), await resources.open()];
    const startedAt = Date.now();
    const counts = await Promise.all(
      Array.from({ length: LOOPS }, (_, i) => hammer(limiters[i % 2]!, startedAt + HAMMER_MS)),
    );
    const elapsedMs = Date.now() - startedAt;
    const granted = counts.reduce((sum, count) => sum + count, 0);
    const burst = LIMIT.burst ?? LIMIT.limit;
    const allowed = burst + (LIMIT.limit * elapsedMs) / LIMIT.periodMs + 1;

    assert.ok(
      granted <= allowed,
      `granted ${granted} in ${elapsedMs} ms; at most ${allowed} allowed`,
    );
    assert.ok(granted >= burst, `granted only ${granted}: not even the burst of ${burst}`);
  },
};
