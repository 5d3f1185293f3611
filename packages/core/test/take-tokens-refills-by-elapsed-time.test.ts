import { type RateLimit, takeTokens } from '@stem/core';
import { describe, expect, it } from 'vitest';

// 10 tokens per second: one every 100 ms; capacity 3.
const LIMIT: RateLimit = { limit: 10, periodMs: 1_000, burst: 3 };
const T0 = 1_700_000_000_000;

describe('takeTokens', () => {
  it('starts a new bucket full at its burst and drains it', () => {
    let bucket = takeTokens(undefined, LIMIT, 1, T0).bucket;
    expect(bucket).toEqual({ tokens: 2, updatedAt: T0 });
    bucket = takeTokens(bucket, LIMIT, 2, T0).bucket;
    const refused = takeTokens(bucket, LIMIT, 1, T0);
    expect(refused.decision).toEqual({ granted: false, retryAfterMs: 100 });
  });

  it('refills by elapsed time, capped at the burst', () => {
    const empty = { tokens: 0, updatedAt: T0 };
    expect(takeTokens(empty, LIMIT, 1, T0 + 99).decision.granted).toBe(false);
    expect(takeTokens(empty, LIMIT, 1, T0 + 100).decision.granted).toBe(true);
    const idle = takeTokens(empty, LIMIT, 1, T0 + 60_000);
    expect(idle.bucket.tokens).toBe(2);
  });

  it('says exactly how long until enough tokens, and granting then succeeds', () => {
    const bucket = { tokens: 0.25, updatedAt: T0 };
    const refused = takeTokens(bucket, LIMIT, 2, T0);
    expect(refused.decision).toEqual({ granted: false, retryAfterMs: 175 });
    const retried = takeTokens(refused.bucket, LIMIT, 2, T0 + 175);
    expect(retried.decision.granted).toBe(true);
  });

  it('refills nothing when the clock goes backwards', () => {
    const bucket = { tokens: 0, updatedAt: T0 };
    const skewed = takeTokens(bucket, LIMIT, 1, T0 - 5_000);
    expect(skewed.decision.granted).toBe(false);
    expect(skewed.bucket).toEqual({ tokens: 0, updatedAt: T0 });
  });

  it('defaults the burst to the limit', () => {
    const limit: RateLimit = { limit: 4, periodMs: 1_000 };
    expect(takeTokens(undefined, limit, 4, T0).decision.granted).toBe(true);
  });

  it('rejects requests that could never be granted', () => {
    expect(() => takeTokens(undefined, LIMIT, 4, T0)).toThrow(RangeError);
    expect(() => takeTokens(undefined, LIMIT, 0, T0)).toThrow(RangeError);
    expect(() => takeTokens(undefined, { limit: 0, periodMs: 1_000 }, 1, T0)).toThrow(RangeError);
    expect(() => takeTokens(undefined, { limit: 1, periodMs: 0 }, 1, T0)).toThrow(RangeError);
  });
});
