// Every conformance suite of the package, and the worker suite, against a Redis Cluster
// of three masters started for this file. Queues, schedules, locks and rate-limit keys
// hash to different slots (so to different nodes); every script must name all of its
// keys in one slot, or the cluster refuses it with CROSSSLOT.
import { randomUUID } from 'node:crypto';
import type { StemEvent } from '@stem/core';
import {
  REDIS_BROKER_CAPABILITIES,
  RedisBroker,
  RedisEventBus,
  RedisLockStore,
  RedisRateLimiter,
  RedisResultBackend,
  RedisScheduleStore,
} from '@stem/redis';
import {
  describeBrokerConformance,
  describeLockStoreConformance,
  describeRateLimiterConformance,
  describeResultBackendConformance,
  describeScheduleStoreConformance,
  describeWorkerConformance,
  eventually,
} from '@stem/testing';
import { Worker } from '@stem/worker';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openRedisWorkerAdapters } from './support/open-redis-worker-adapters';
import { LocalRedisCluster } from './support/start-redis-cluster';

let cluster: LocalRedisCluster | undefined;

/** The cluster's URL; cases run only after beforeAll has started it. */
function clusterUrl(): string {
  if (cluster === undefined) throw new Error('the Redis Cluster did not start');
  return cluster.url;
}

beforeAll(async () => {
  cluster = await LocalRedisCluster.start(3);
}, 30_000);
afterAll(async () => {
  await cluster?.stop();
});

describeBrokerConformance({
  name: 'redis cluster',
  open: (namespace) => new RedisBroker({ url: clusterUrl(), namespace }),
  capabilities: REDIS_BROKER_CAPABILITIES,
});

describeResultBackendConformance({
  name: 'RedisResultBackend on a cluster',
  open: (namespace) => new RedisResultBackend({ url: clusterUrl(), namespace }),
});

describeScheduleStoreConformance({
  name: 'RedisScheduleStore on a cluster',
  open: (namespace) => new RedisScheduleStore({ url: clusterUrl(), namespace }),
});

describeRateLimiterConformance({
  name: 'RedisRateLimiter on a cluster',
  open: (namespace) => new RedisRateLimiter({ url: clusterUrl(), namespace }),
});

describeLockStoreConformance({
  name: 'RedisLockStore on a cluster',
  open: (namespace) => new RedisLockStore({ url: clusterUrl(), namespace }),
});

describeWorkerConformance({
  name: 'redis cluster',
  openAdapters: (namespace) => openRedisWorkerAdapters(clusterUrl(), namespace),
  createWorker: (options) => new Worker(options),
});

// A cluster client sends a keyless PUBLISH to any node, and messages entering the cluster
// at different nodes reach a subscriber in no set order; the bus must keep one
// instance's events in the order it published them (task.started before task.retried).
it('delivers the events one instance publishes in the order it published them', async () => {
  const namespace = `zz-cluster-events-${randomUUID().slice(0, 8)}`;
  const publisher = new RedisEventBus({ url: clusterUrl(), namespace });
  const listener = new RedisEventBus({ url: clusterUrl(), namespace });
  try {
    const seen: number[] = [];
    await listener.subscribe((event) => {
      if (event.type === 'worker.heartbeat') seen.push(event.processed);
    });
    const sent = Array.from({ length: 300 }, (_, index) => index);
    // Half sent back to back, half each after the previous one was answered.
    await Promise.all(
      sent.slice(0, 150).map((processed) => publisher.publish(heartbeat(processed))),
    );
    for (const processed of sent.slice(150)) await publisher.publish(heartbeat(processed));
    await eventually('every event', () => seen.length === sent.length, 10_000);
    expect(seen).toEqual(sent);
  } finally {
    await publisher.close();
    await listener.close();
  }
});

function heartbeat(processed: number): StemEvent {
  return {
    type: 'worker.heartbeat',
    at: Date.now(),
    workerId: 'w-order',
    hostname: 'host',
    pid: 1,
    queues: [],
    active: 0,
    processed,
    intervalMs: 2_000,
  };
}

// Runs after the suites above (vitest keeps file order): the cluster was really used,
// with keys on every master, not one node answering for all.
it('spread the suites’ keys over every master of the cluster', async () => {
  for (const node of cluster?.nodes ?? []) {
    const client = new Redis(node.url);
    try {
      expect(await client.dbsize(), `keys on ${node.url}`).toBeGreaterThan(0);
    } finally {
      client.disconnect();
    }
  }
  expect(cluster?.nodes.length).toBe(3);
});
