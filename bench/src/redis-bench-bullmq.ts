/**
 * BullMQ's side of the Redis benchmark: a Queue (`add`, and `addBulk` for batches) and a
 * Worker with its defaults (completed jobs and their return values are kept), both under
 * a key prefix of their own on the same server as Stem's side.
 */
import { Queue, Worker } from 'bullmq';
import { deleteByPattern } from './redis-bench-stem';
import { type BenchJobData, type RedisBenchSubject, sleep } from './redis-bench-subject';

const QUEUE = 'bench';

export class BullmqRedisSubject implements RedisBenchSubject {
  readonly name = 'BullMQ';
  readonly batchMethod = 'Queue.addBulk';
  readonly #url: string;
  readonly #prefix: string;
  readonly #connection: { host: string; port: number; db: number; maxRetriesPerRequest: null };
  readonly #queue: Queue;
  #worker: Worker | undefined;
  #finished = 0;

  constructor(url: string, prefix: string) {
    const parsed = new URL(url);
    this.#url = url;
    this.#prefix = prefix;
    this.#connection = {
      host: parsed.hostname || '127.0.0.1',
      port: parsed.port === '' ? 6379 : Number(parsed.port),
      db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
      maxRetriesPerRequest: null,
    };
    this.#queue = new Queue(QUEUE, { connection: this.#connection, prefix });
  }

  async enqueueOne(data: BenchJobData, delayMs?: number): Promise<void> {
    await this.#queue.add('noop', data, delayMs === undefined ? {} : { delay: delayMs });
  }

  async enqueueBatch(batch: readonly BenchJobData[]): Promise<void> {
    await this.#queue.addBulk(batch.map((data) => ({ name: 'noop', data })));
  }

  async startWorker(concurrency: number, onStart: (data: BenchJobData) => void): Promise<void> {
    this.#finished = 0;
    const worker = new Worker(
      QUEUE,
      async (job) => {
        onStart(job.data as BenchJobData);
        return null;
      },
      { connection: this.#connection, prefix: this.#prefix, concurrency },
    );
    worker.on('completed', () => {
      this.#finished += 1;
    });
    worker.on('error', (error) => console.error('bullmq worker error', error));
    this.#worker = worker;
    await worker.waitUntilReady();
  }

  /** Finished = moved to completed (the worker's `completed` event). */
  async waitFinished(count: number): Promise<void> {
    while (this.#finished < count) await sleep(5);
  }

  async stopWorker(): Promise<void> {
    await this.#worker?.close();
    this.#worker = undefined;
  }

  async clean(): Promise<void> {
    await deleteByPattern(this.#url, `${this.#prefix}:*`);
  }

  async close(): Promise<void> {
    await this.stopWorker();
    await this.#queue.close();
  }
}
