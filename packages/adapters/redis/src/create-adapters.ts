/**
 * URL construction (`redis://`, `rediss://`) for `connectAdapters` and `Stem.connect`:
 * one client per call, shared by every role built from it; the first adapter to be
 * closed does not close it for the others (the last one does).
 */
import type { AdapterRole, AdapterSet } from '@stem/core';
import { RedisBroker } from './broker/redis-broker';
import { createRedisClient, type RedisClient } from './connection/redis-connection';
import { RedisEventBus } from './events/redis-event-bus';
import { RedisLockStore } from './lock/redis-lock-store';
import { RedisRateLimiter } from './rate-limit/redis-rate-limiter';
import { RedisResultBackend } from './result/redis-result-backend';
import { RedisRevocationStore } from './revocation/redis-revocation-store';
import { RedisScheduleStore } from './schedule/redis-schedule-store';

export async function createAdapters<TRole extends AdapterRole>(
  url: URL,
  roles: readonly TRole[],
): Promise<Pick<AdapterSet, TRole>> {
  const namespace = url.searchParams.get('namespace') ?? 'stem';
  url.searchParams.delete('namespace');
  const client = createRedisClient(url.href);
  const shared = shareClient(client, roles.length);
  const build: { [K in AdapterRole]: () => AdapterSet[K] } = {
    broker: () => new RedisBroker({ client: shared(), namespace }),
    resultBackend: () => new RedisResultBackend({ client: shared(), namespace }),
    scheduleStore: () => new RedisScheduleStore({ client: shared(), namespace }),
    rateLimiter: () => new RedisRateLimiter({ client: shared(), namespace }),
    lockStore: () => new RedisLockStore({ client: shared(), namespace }),
    eventBus: () => new RedisEventBus({ client: shared(), namespace }),
    revocationStore: () => new RedisRevocationStore({ client: shared(), namespace }),
  };
  const adapters: Partial<AdapterSet> = {};
  for (const role of roles)
    (adapters as Record<AdapterRole, unknown>)[role] = wrapClose(build[role](), shared);
  return adapters as Pick<AdapterSet, TRole>;
}

interface ClientShare {
  (): RedisClient;
  release(): Promise<void>;
}

/** Hands the same client to `users` adapters and quits it when the last one closes. */
function shareClient(client: RedisClient, users: number): ClientShare {
  let remaining = users;
  const share = (() => client) as ClientShare;
  share.release = async () => {
    remaining -= 1;
    if (remaining === 0) await client.quit().catch(() => client.disconnect());
  };
  return share;
}

function wrapClose<T extends { close(): Promise<void> }>(adapter: T, shared: ClientShare): T {
  const close = adapter.close.bind(adapter);
  let closed = false;
  adapter.close = async () => {
    if (closed) return;
    closed = true;
    await close();
    await shared.release();
  };
  return adapter;
}
