/**
 * One set of adapters per test, in memory or on Redis (a fresh namespace), plus
 * `startWorker` for in-process workers running the canvas hook. Everything opened is
 * closed (and the Redis namespace deleted) when the test ends.
 */
import { randomUUID } from 'node:crypto';
import { type CanvasAdapters, canvasContinuations } from '@stem/canvas';
import {
  type Broker,
  type EventBus,
  InMemoryBroker,
  InMemoryEventBus,
  InMemoryResultBackend,
  InMemoryRevocationStore,
  type ResultBackend,
  type RevocationStore,
  type TaskDefinition,
} from '@stem/core';
import {
  createRedisClient,
  RedisBroker,
  RedisEventBus,
  RedisLockStore,
  RedisResultBackend,
  RedisRevocationStore,
} from '@stem/redis';
import { testServiceUrl } from '@stem/testing';
import { Worker, type WorkerOptions } from '@stem/worker';
import { afterEach } from 'vitest';

export type StackKind = 'memory' | 'redis';
export const STACK_KINDS: readonly StackKind[] = ['memory', 'redis'];

export interface CanvasStack {
  kind: StackKind;
  namespace: string;
  adapters: CanvasAdapters & {
    broker: Broker;
    resultBackend: ResultBackend;
    revocationStore: RevocationStore;
    eventBus: EventBus;
  };
  workerErrors: unknown[];
  startWorker(
    tasks: Iterable<TaskDefinition>,
    options?: Partial<Omit<WorkerOptions, 'tasks'>>,
  ): Promise<Worker>;
}

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export async function openCanvasStack(kind: StackKind): Promise<CanvasStack> {
  const namespace = `stem-canvas-${randomUUID().slice(0, 8)}`;
  const workerErrors: unknown[] = [];
  const workers: Worker[] = [];
  const base = kind === 'memory' ? openMemory() : openRedis(namespace);
  cleanups.push(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await base.close();
  });
  const adapters = base.adapters;
  return {
    kind,
    namespace,
    adapters,
    workerErrors,
    async startWorker(tasks, options = {}) {
      const worker = new Worker({
        ...adapters,
        ...(base.lockStore === undefined ? {} : { lockStore: base.lockStore }),
        concurrency: 20,
        leaseMs: 5_000,
        shutdownGraceMs: 2_000,
        heartbeatIntervalMs: 60_000,
        afterTask: canvasContinuations(adapters),
        onError: (error) => void workerErrors.push(error),
        ...options,
        tasks,
      });
      workers.push(worker);
      await worker.start();
      return worker;
    },
  };
}

function openMemory() {
  const adapters = {
    broker: new InMemoryBroker(),
    resultBackend: new InMemoryResultBackend(),
    revocationStore: new InMemoryRevocationStore(),
    eventBus: new InMemoryEventBus(),
  };
  return {
    adapters,
    lockStore: undefined,
    async close() {
      await Promise.all(Object.values(adapters).map((adapter) => adapter.close()));
    },
  };
}

function openRedis(namespace: string) {
  const url = testServiceUrl('redis');
  const client = createRedisClient(url);
  const adapters = {
    broker: new RedisBroker({ client, namespace }),
    resultBackend: new RedisResultBackend({ client, namespace }),
    revocationStore: new RedisRevocationStore({ client, namespace }),
    eventBus: new RedisEventBus({ client, namespace }),
  };
  const lockStore = new RedisLockStore({ client, namespace });
  return {
    adapters,
    lockStore,
    async close() {
      await Promise.allSettled([...Object.values(adapters), lockStore].map((a) => a.close()));
      await deleteNamespace(client, namespace);
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/** Deletes every key of a test namespace (never anything else on the shared server). */
export async function deleteNamespace(
  client: ReturnType<typeof createRedisClient>,
  namespace: string,
): Promise<void> {
  const keys = await client.keys(`${namespace}:*`);
  if (keys.length > 0) await client.unlink(...keys);
}
