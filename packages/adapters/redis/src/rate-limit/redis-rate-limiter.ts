/**
 * A RateLimiter on Redis: one token bucket per key (task name, plus tenant) in a hash,
 * taken from by the take-tokens script so every worker sharing the server shares the
 * limit. Runs on the caller's thread; one round trip per acquire.
 */
import { ClosedError, type RateLimit, type RateLimitDecision, type RateLimiter } from '@stem/core';
import {
  type RedisClient,
  type RedisConnectionOptions,
  resolveRedisConnection,
} from '../connection/redis-connection';
import { takeTokensInRedis } from './take-tokens-in-redis';

/** `url` or `client`, and the key `namespace` (@default 'stem'). */
export type RedisRateLimiterOptions = RedisConnectionOptions;

export class RedisRateLimiter implements RateLimiter {
  readonly #client: RedisClient;
  readonly #owned: boolean;
  readonly #namespace: string;
  #closed = false;

  constructor(options: RedisRateLimiterOptions) {
    const { client, owned, namespace } = resolveRedisConnection(options);
    this.#client = client;
    this.#owned = owned;
    this.#namespace = namespace;
  }

  /** Takes `tokens` (@default 1) from `key`'s bucket, timed by the server's clock. */
  async acquire(key: string, limit: RateLimit, tokens = 1): Promise<RateLimitDecision> {
    if (this.#closed) throw new ClosedError('RedisRateLimiter');
    return takeTokensInRedis(this.#client, rateBucketKey(this.#namespace, key), limit, tokens);
  }

  /** Quits the client if this instance created it; the buckets stay on the server. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#owned) await this.#client.quit().catch(() => this.#client.disconnect());
  }
}

/** Where the bucket of rate-limit `key` (see rateLimitKey in @stem/core) lives. */
export function rateBucketKey(namespace: string, key: string): string {
  return `${namespace}:rate:${key}`;
}
