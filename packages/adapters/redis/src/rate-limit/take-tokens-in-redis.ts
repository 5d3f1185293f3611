/**
 * Runs the take-tokens script for one bucket key. Split from the limiter so the
 * script/TypeScript parity test can drive it with its own clock.
 */
import { type RateLimit, type RateLimitDecision, takeTokens } from '@stem/core';
import { LuaScript } from '../connection/lua-script';
import type { RedisClient } from '../connection/redis-connection';
import takeTokensSource from './scripts/take-tokens.lua';

const takeTokensScript = new LuaScript('take-tokens', takeTokensSource);

/**
 * Takes `tokens` from the bucket stored at `bucketKey`.
 * @param nowAt Epoch ms to decide at; @default the server's TIME (only tests pass one).
 * @throws RangeError for arguments takeTokens() refuses (checked before any round trip).
 */
export async function takeTokensInRedis(
  client: RedisClient,
  bucketKey: string,
  limit: RateLimit,
  tokens: number,
  nowAt?: number,
): Promise<RateLimitDecision> {
  // The same validation as the in-memory limiter: takeTokens is pure, so a dry run on
  // a missing bucket throws exactly the RangeErrors it would.
  takeTokens(undefined, limit, tokens, 0);
  const capacity = limit.burst ?? limit.limit;
  const reply = (await takeTokensScript.run(
    client,
    [bucketKey],
    [
      formatNumber(limit.limit),
      formatNumber(limit.periodMs),
      formatNumber(capacity),
      formatNumber(tokens),
      nowAt === undefined ? '' : formatNumber(nowAt),
    ],
  )) as [number, number];
  return reply[0] === 1 ? { granted: true } : { granted: false, retryAfterMs: reply[1] };
}

/** JavaScript's shortest round-trip form, which Lua's tonumber reads back exactly. */
function formatNumber(value: number): string {
  return String(value);
}
