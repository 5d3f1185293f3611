/**
 * A RevocationStore on Redis: revocations live in a hash by task id, with one sorted
 * set by expiry (so lapsed ones are dropped without a timer) and one by the order they
 * were made (so `list()` answers in revocation order). Stored on the server, they
 * survive every worker restart. Runs on the caller's thread.
 */
import { ClosedError, type Revocation, type RevocationStore } from '@stem/core';
import { LuaScript } from '../connection/lua-script';
import {
  type RedisClient,
  type RedisConnectionOptions,
  resolveRedisConnection,
} from '../connection/redis-connection';
import revokeTaskSource from './scripts/revoke-task.lua';

const revokeTask = new LuaScript('revoke-task', revokeTaskSource);

/** `url` or `client`, and the key `namespace` (@default 'stem'). */
export type RedisRevocationStoreOptions = RedisConnectionOptions;

export class RedisRevocationStore implements RevocationStore {
  readonly #client: RedisClient;
  readonly #owned: boolean;
  /** The keys share the `{revocations:<ns>}` hash slot so one script updates all. */
  readonly #keys: { byTask: string; expiry: string; order: string; sequence: string };
  #closed = false;

  constructor(options: RedisRevocationStoreOptions) {
    const { client, owned, namespace } = resolveRedisConnection(options);
    this.#client = client;
    this.#owned = owned;
    const prefix = `${namespace}:{revocations:${namespace}}`;
    this.#keys = {
      byTask: `${prefix}:by-task`,
      expiry: `${prefix}:expiry`,
      order: `${prefix}:order`,
      sequence: `${prefix}:sequence`,
    };
  }

  /** Records (or replaces) the revocation of `revocation.taskId` until its `expiresAt`. */
  async revoke(revocation: Revocation): Promise<void> {
    this.#assertOpen();
    const { byTask, expiry, order, sequence } = this.#keys;
    await revokeTask.run(
      this.#client,
      [byTask, expiry, order, sequence],
      [revocation.taskId, JSON.stringify(revocation), revocation.expiresAt],
    );
  }

  /** The revocation of `taskId` if one is in force (not yet past its `expiresAt`). */
  async get(taskId: string): Promise<Revocation | undefined> {
    this.#assertOpen();
    const text = await this.#client.hget(this.#keys.byTask, taskId);
    return text === null ? undefined : inForce(text, Date.now());
  }

  /** Every revocation in force, in the order they were revoked. */
  async list(): Promise<Revocation[]> {
    this.#assertOpen();
    const taskIds = await this.#client.zrange(this.#keys.order, 0, -1);
    if (taskIds.length === 0) return [];
    const texts = await this.#client.hmget(this.#keys.byTask, ...taskIds);
    const nowAt = Date.now();
    const revocations: Revocation[] = [];
    for (const text of texts) {
      // null: dropped as lapsed between the two reads.
      const revocation = text === null ? undefined : inForce(text, nowAt);
      if (revocation !== undefined) revocations.push(revocation);
    }
    return revocations;
  }

  /** Quits the client if this instance created it; the revocations stay on the server. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#owned) await this.#client.quit().catch(() => this.#client.disconnect());
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClosedError('RedisRevocationStore');
  }
}

function inForce(text: string, nowAt: number): Revocation | undefined {
  const revocation = JSON.parse(text) as Revocation;
  return revocation.expiresAt > nowAt ? revocation : undefined;
}
