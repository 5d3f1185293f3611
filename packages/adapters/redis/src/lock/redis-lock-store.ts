/**
 * A LockStore on Redis: each lock is a string key set with PX (it lapses by itself if
 * its holder dies) holding "<fencingToken>:<owner>"; tokens come from an INCR counter
 * beside it. Renew and release compare that value in a script, so a holder that lost
 * its lock can neither extend nor free the new holder's. Runs on the caller's thread.
 */
import { ClosedError, type Lock, type LockStore } from '@stem/core';
import { LuaScript } from '../connection/lua-script';
import {
  type RedisClient,
  type RedisConnectionOptions,
  resolveRedisConnection,
} from '../connection/redis-connection';
import acquireLockSource from './scripts/acquire-lock.lua';
import releaseLockSource from './scripts/release-lock.lua';
import renewLockSource from './scripts/renew-lock.lua';

const acquireLock = new LuaScript('acquire-lock', acquireLockSource);
const renewLock = new LuaScript('renew-lock', renewLockSource);
const releaseLock = new LuaScript('release-lock', releaseLockSource);

/** `url` or `client`, and the key `namespace` (@default 'stem'). */
export type RedisLockStoreOptions = RedisConnectionOptions;

export class RedisLockStore implements LockStore {
  readonly #client: RedisClient;
  readonly #owned: boolean;
  readonly #namespace: string;
  #closed = false;

  constructor(options: RedisLockStoreOptions) {
    const { client, owned, namespace } = resolveRedisConnection(options);
    this.#client = client;
    this.#owned = owned;
    this.#namespace = namespace;
  }

  /**
   * Takes `key` for `ttlMs` (rounded up to whole ms) if it is free, lapsed, or already
   * held by `owner` (which then gets a new token, fencing out its older handle).
   */
  async acquire(key: string, owner: string, ttlMs: number): Promise<Lock | undefined> {
    this.#assertOpen();
    const reply = (await acquireLock.run(
      this.#client,
      [this.#lockKey(key), `${this.#lockKey(key)}:fence`],
      [owner, wholeMs(ttlMs)],
    )) as [number, number];
    if (reply[0] === 0) return undefined;
    return { key, owner, fencingToken: reply[0], expiresAt: reply[1] };
  }

  /** Extends the lock to `ttlMs` from now if `lock` (owner and token) still holds it. */
  async renew(lock: Lock, ttlMs: number): Promise<boolean> {
    this.#assertOpen();
    const reply = await renewLock.run(
      this.#client,
      [this.#lockKey(lock.key)],
      [holderValue(lock), wholeMs(ttlMs)],
    );
    return reply === 1;
  }

  /** Frees the lock if `lock` still holds it; false if it lapsed or changed hands. */
  async release(lock: Lock): Promise<boolean> {
    this.#assertOpen();
    const reply = await releaseLock.run(
      this.#client,
      [this.#lockKey(lock.key)],
      [holderValue(lock)],
    );
    return reply === 1;
  }

  /** Quits the client if this instance created it; held locks lapse by themselves. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#owned) await this.#client.quit().catch(() => this.#client.disconnect());
  }

  /** The lock and its fencing counter share the `{lock:<key>}` hash slot. */
  #lockKey(key: string): string {
    return `${this.#namespace}:{lock:${key}}`;
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClosedError('RedisLockStore');
  }
}

function holderValue(lock: Lock): string {
  return `${lock.fencingToken}:${lock.owner}`;
}

function wholeMs(ttlMs: number): number {
  if (!(ttlMs > 0)) throw new RangeError(`lock ttlMs must be positive, got ${ttlMs}`);
  return Math.ceil(ttlMs);
}
