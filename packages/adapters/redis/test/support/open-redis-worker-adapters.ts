/**
 * Opens every Redis adapter the worker suite uses (broker, results, events,
 * revocations, rate limits) on one client, as one worker process built from a URL
 * would. Closing the set closes the adapters first, then the client they share.
 */
import {
  createRedisClient,
  RedisBroker,
  RedisEventBus,
  RedisRateLimiter,
  RedisResultBackend,
  RedisRevocationStore,
} from '@stem/redis';
import type { WorkerConformanceAdapters } from '@stem/testing';

/** The Redis adapters in `namespace` on a new client connected to `url`. */
export function openRedisWorkerAdapters(url: string, namespace: string): WorkerConformanceAdapters {
  const client = createRedisClient(url);
  const broker = new RedisBroker({ client, namespace });
  const resultBackend = new RedisResultBackend({ client, namespace });
  const eventBus = new RedisEventBus({ client, namespace });
  const revocationStore = new RedisRevocationStore({ client, namespace });
  const rateLimiter = new RedisRateLimiter({ client, namespace });
  return {
    broker,
    resultBackend,
    eventBus,
    revocationStore,
    rateLimiter,
    async close() {
      await Promise.allSettled([
        broker.close(),
        resultBackend.close(),
        eventBus.close(),
        revocationStore.close(),
        rateLimiter.close(),
      ]);
      await client.quit().catch(() => client.disconnect());
    },
  };
}
