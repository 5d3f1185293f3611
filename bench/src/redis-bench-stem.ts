/**
 * Stem's side of the Redis benchmark: a Stem client on a RedisBroker (a batch is a
 * Promise.all of enqueues, which the broker stores with one script call per tick) and an
 * inline Worker with its defaults, storing results in a RedisResultBackend, as BullMQ
 * keeps its return values.
 */
import { defineTask, Stem, type TaskDefinition } from '@stem/core';
import { createRedisClient, RedisBroker, RedisResultBackend } from '@stem/redis';
import { Worker } from '@stem/worker';
import { type BenchJobData, type RedisBenchSubject, sleep } from './redis-bench-subject';

const benchJob = defineTask({
  name: 'bench.redis-noop',
  run: (data: BenchJobData) => {
    onJobStart(data);
    return null;
  },
});

/** The running benchmark's start hook (one worker at a time). */
let onJobStart: (data: BenchJobData) => void = () => {};

export class StemRedisSubject implements RedisBenchSubject {
  readonly name = 'Stem';
  readonly batchMethod = 'Promise.all of enqueue (one script call per tick)';
  readonly #url: string;
  readonly #namespace: string;
  readonly #broker: RedisBroker;
  readonly #stem: Stem;
  #worker: Worker | undefined;
  #resultBackend: RedisResultBackend | undefined;
  #finishedBase = 0;

  constructor(url: string, namespace: string) {
    this.#url = url;
    this.#namespace = namespace;
    this.#broker = new RedisBroker({ url, namespace });
    this.#stem = new Stem({ broker: this.#broker });
  }

  async enqueueOne(data: BenchJobData, delayMs?: number): Promise<void> {
    await this.#stem.enqueue(benchJob, data, delayMs === undefined ? {} : { delayMs });
  }

  async enqueueBatch(batch: readonly BenchJobData[]): Promise<void> {
    await Promise.all(batch.map((data) => this.#stem.enqueue(benchJob, data)));
  }

  async startWorker(concurrency: number, onStart: (data: BenchJobData) => void): Promise<void> {
    onJobStart = onStart;
    this.#resultBackend = new RedisResultBackend({ url: this.#url, namespace: this.#namespace });
    this.#worker = new Worker({
      broker: this.#broker,
      resultBackend: this.#resultBackend,
      tasks: [benchJob as TaskDefinition],
      pool: 'inline',
      concurrency,
      onError: (error) => console.error('stem worker error', error),
    });
    this.#finishedBase = 0;
    await this.#worker.start();
  }

  /** Finished = acknowledged: the worker's outcome counters move after the ack. */
  async waitFinished(count: number): Promise<void> {
    for (;;) {
      let finished = 0;
      for (const total of this.#worker?.outcomes.values() ?? []) finished += total;
      if (finished - this.#finishedBase >= count) return;
      await sleep(5);
    }
  }

  async stopWorker(): Promise<void> {
    await this.#worker?.close();
    await this.#resultBackend?.close();
    this.#worker = undefined;
    this.#resultBackend = undefined;
  }

  async clean(): Promise<void> {
    await deleteByPattern(this.#url, `${this.#namespace}:*`);
  }

  async close(): Promise<void> {
    await this.stopWorker();
    await this.#stem.close();
    await this.#broker.close();
  }
}

/** Deletes every key matching `pattern` (SCAN + UNLINK), on a connection of its own. */
export async function deleteByPattern(url: string, pattern: string): Promise<void> {
  const client = createRedisClient(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
      cursor = next;
      if (keys.length > 0) await client.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    await client.quit();
  }
}
