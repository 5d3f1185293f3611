// The take-tokens Lua script must decide exactly like takeTokens() in @stem/core. Both
// are fed the same seeded sequence of (now, tokens) requests, the clock passed in
// explicitly (the only place it is), and every decision and stored level must agree.
import { randomUUID } from 'node:crypto';
import { type RateLimit, type TokenBucket, takeTokens } from '@stem/core';
import { requireService, testServiceUrl } from '@stem/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeTokensInRedis } from '../src/rate-limit/take-tokens-in-redis';

const LIMITS: Array<[string, RateLimit]> = [
  ['whole rate', { limit: 5, periodMs: 1_000 }],
  ['fractional rate with burst', { limit: 3, periodMs: 1_000, burst: 7 }],
  ['odd period', { limit: 7, periodMs: 333, burst: 2 }],
  ['slow and fractional tokens', { limit: 0.5, periodMs: 60_000, burst: 1.5 }],
];
const STEPS = 400;

/** A small deterministic generator (mulberry32), so a failure replays exactly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

let client: Redis;
const namespace = `zz-rstores-parity-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  await requireService('redis');
  client = new Redis(testServiceUrl('redis'));
});

afterAll(async () => {
  const keys = await client.keys(`${namespace}:*`);
  if (keys.length > 0) await client.del(...keys);
  await client.quit();
});

describe('take-tokens script', () => {
  for (const [index, [label, limit]] of LIMITS.entries()) {
    it(`decides like takeTokens: ${label}`, async () => {
      const random = seededRandom(1_000 + index);
      const key = `${namespace}:bucket-${index}`;
      const capacity = limit.burst ?? limit.limit;
      let bucket: TokenBucket | undefined;
      let nowAt = 1_700_000_000_000;
      for (let step = 0; step < STEPS; step += 1) {
        // Mostly small steps forward, some bursts at one instant, a few clock steps back.
        const roll = random();
        if (roll < 0.05) nowAt -= Math.floor(random() * 500);
        else if (roll > 0.3) nowAt += Math.floor(random() * (limit.periodMs / 2));
        const tokens = random() < 0.8 ? Math.min(1, capacity) : Math.max(0.25, random() * capacity);

        const expected = takeTokens(bucket, limit, tokens, nowAt);
        bucket = expected.bucket;
        const actual = await takeTokensInRedis(client, key, limit, tokens, nowAt);
        expect(actual, `step ${step}: now ${nowAt}, tokens ${tokens}`).toEqual(expected.decision);
        const stored = await client.hmget(key, 'tokens', 'updatedAt');
        expect(stored.map(Number), `stored bucket at step ${step}`).toEqual([
          bucket.tokens,
          bucket.updatedAt,
        ]);
      }
    });
  }

  it('refuses what takeTokens refuses, before touching the server', async () => {
    const key = `${namespace}:invalid`;
    await expect(takeTokensInRedis(client, key, { limit: 0, periodMs: 1_000 }, 1)).rejects.toThrow(
      RangeError,
    );
    await expect(takeTokensInRedis(client, key, { limit: 2, periodMs: 1_000 }, 3)).rejects.toThrow(
      RangeError,
    );
    expect(await client.exists(key)).toBe(0);
  });
});
