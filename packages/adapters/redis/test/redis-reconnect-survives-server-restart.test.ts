// A worker and a producer run against a private Redis with AOF on (appendfsync
// everysec) while the server is SIGKILLed and started again on the same port and data
// directory. Nothing crashes (no unhandled rejection), both reconnect on their own, work
// goes on, and every task whose enqueue was confirmed more than the fsync allowance
// before the kill, or by the restarted server, completes with SUCCESS.
import { defineTask, Stem } from '@stem/core';
import { RedisBroker, RedisResultBackend } from '@stem/redis';
import { eventually, sleep } from '@stem/testing';
import { Worker } from '@stem/worker';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { openRedisWorkerAdapters } from './support/open-redis-worker-adapters';
import { LocalRedisServer } from './support/start-redis-server';

/** What appendfsync everysec may lose on a crash (about a second), with slack, in ms. */
const FSYNC_ALLOWANCE_MS = 1_500;
const namespace = 'stem-restart';
const queue = 'restart';

let server: LocalRedisServer;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeAll(async () => {
  server = await LocalRedisServer.start({
    args: ['--appendonly', 'yes', '--appendfsync', 'everysec'],
  });
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(() => void process.on('unhandledRejection', onUnhandled));
afterEach(() => void process.off('unhandledRejection', onUnhandled));

interface Confirmed {
  seq: number;
  id: string;
  /** When the enqueue resolved, epoch ms. */
  at: number;
}

/** Enqueues one task every ~20 ms until `stop()`; records each confirmed enqueue. */
function startProducer(stem: Stem, task: ReturnType<typeof recordTask>) {
  const confirmed: Confirmed[] = [];
  const failures: unknown[] = [];
  let stopped = false;
  const loop = (async () => {
    for (let seq = 0; !stopped; seq += 1) {
      try {
        const result = await stem.enqueue(task, { seq }, { queue });
        confirmed.push({ seq, id: result.id, at: Date.now() });
      } catch (error) {
        failures.push(error);
      }
      await sleep(20);
    }
  })();
  return {
    confirmed,
    failures,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

function recordTask(ran: Set<number>) {
  return defineTask({
    name: 'restart.record',
    run: ({ seq }: { seq: number }) => {
      ran.add(seq);
      return seq;
    },
  });
}

it(
  'keeps producing and working across a SIGKILL and restart of the server',
  { timeout: 45_000 },
  async () => {
    const ran = new Set<number>();
    const task = recordTask(ran);
    const workerErrors: unknown[] = [];
    const adapters = openRedisWorkerAdapters(server.url, namespace);
    const worker = new Worker({
      broker: adapters.broker,
      resultBackend: adapters.resultBackend,
      eventBus: adapters.eventBus,
      revocationStore: adapters.revocationStore,
      tasks: [task],
      queues: [queue],
      pool: 'inline',
      concurrency: 4,
      leaseMs: 2_000,
      shutdownGraceMs: 2_000,
      onError: (error) => void workerErrors.push(error),
    });
    const producerBroker = new RedisBroker({ url: server.url, namespace });
    const producer = startProducer(new Stem({ broker: producerBroker }), task);
    const results = new RedisResultBackend({ url: server.url, namespace });
    try {
      await worker.start();
      await sleep(2_500);
      expect(ran.size).toBeGreaterThan(0);

      const killedAt = Date.now();
      await server.kill();
      await sleep(500);
      // Any reply after this point comes from the new process.
      const restartingAt = Date.now();
      await server.restart();
      await sleep(1_500);
      await producer.stop();

      const confirmed = producer.confirmed;
      const afterRestart = confirmed.filter((item) => item.at > restartingAt);
      const required = confirmed.filter(
        (item) => item.at < killedAt - FSYNC_ALLOWANCE_MS || item.at > restartingAt,
      );
      expect(afterRestart.length, 'enqueues confirmed by the restarted server').toBeGreaterThan(0);
      expect(required.length).toBeGreaterThan(afterRestart.length);
      await eventually(
        'every required task to run',
        () => required.every((item) => ran.has(item.seq)),
        20_000,
        50,
      );
      for (const item of required) {
        const record = await results.get(item.id);
        expect(record?.status, `result of task ${item.seq}`).toBe('SUCCESS');
      }
      await eventually(
        'the queue to drain',
        async () => {
          const stats = await producerBroker.stats(queue);
          return stats.ready + stats.inFlight + stats.delayed === 0;
        },
        10_000,
        100,
      );
      expect((await producerBroker.stats(queue)).dead).toBe(0);
      const window = confirmed.filter((item) => !required.includes(item));
      console.info(
        `restart: ${confirmed.length} confirmed, ${required.length} required and completed, ` +
          `${window.filter((item) => !ran.has(item.seq)).length} of ${window.length} in the ` +
          `fsync window lost, ${producer.failures.length} enqueues failed, ` +
          `${workerErrors.length} worker errors`,
      );
      expect(unhandled).toEqual([]);
    } finally {
      await producer.stop();
      await worker.close();
      await Promise.allSettled([adapters.close(), producerBroker.close(), results.close()]);
    }
  },
);
