import assert from 'node:assert/strict';
import type { RateLimit } from '@stem/core';
import type { RateLimiterCase } from './rate-limiter-case';

const SLOW: RateLimit = { limit: 2, periodMs: 60_000 };

export const keysIndependent: RateLimiterCase = {
  name: 'keys-independent',
  promise: 'draining one key leaves every other key full, and a key is shared by all instances',
  async run(resources) {
    const limiter = await resources.open();
    const other = await resources.open();
    assert.equal((await limiter.acquire('tenant-a', SLOW)).granted, true);
    assert.equal((await limiter.acquire('tenant-a', SLOW)).granted, true);
    assert.equal((await limiter.acquire('tenant-a', SLOW)).granted, false, 'a drained key granted');
    assert.equal(
      (await other.acquire('tenant-a', SLOW)).granted,
      false,
      'another instance does not share the bucket',
    );

    assert.equal((await other.acquire('tenant-b', SLOW)).granted, true, 'keys share a bucket');
    assert.equal((await limiter.acquire('tenant-b', SLOW)).granted, true);
    assert.equal((await limiter.acquire('tenant-b', SLOW)).granted, false);
  },
};
