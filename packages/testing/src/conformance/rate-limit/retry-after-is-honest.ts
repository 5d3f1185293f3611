import assert from 'node:assert/strict';
import type { RateLimit } from '@stem/core';
import { sleep } from '../conformance-case';
import type { RateLimiterCase } from './rate-limiter-case';

const LIMIT: RateLimit = { limit: 5, periodMs: 500, burst: 2 };
/** One token refills every periodMs / limit. */
const REFILL_MS = LIMIT.periodMs / LIMIT.limit;

export const retryAfterIsHonest: RateLimiterCase = {
  name: 'retry-after-is-honest',
  promise: 'a refusal says when to come back, and coming back then succeeds',
  async run(resources) {
    const limiter = await resources.open();
    const other = await resources.open();
    assert.equal((await limiter.acquire('honest', LIMIT)).granted, true);
    assert.equal((await other.acquire('honest', LIMIT)).granted, true);

    const refused = await limiter.acquire('honest', LIMIT);
    assert.ok(!refused.granted, 'granted beyond the burst');
    assert.ok(refused.retryAfterMs > 0, `retryAfterMs was ${refused.retryAfterMs}`);
    assert.ok(
      refused.retryAfterMs <= REFILL_MS + 5,
      `retryAfterMs ${refused.retryAfterMs} overstates the ${REFILL_MS} ms refill`,
    );

    // A few ms over: a timer may fire a hair early, and the claim is about retryAfterMs.
    await sleep(refused.retryAfterMs + 10);
    const retried = await other.acquire('honest', LIMIT);
    assert.equal(retried.granted, true, `still refused after waiting ${refused.retryAfterMs} ms`);
  },
};
