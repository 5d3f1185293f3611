/**
 * What the Redis benchmark drives on each side (Stem, BullMQ): enqueue one job or a
 * batch, run a worker whose no-op handler reports each start, tell when every job has
 * finished, and delete its keys afterwards. Each side lives in its own module.
 */

/** The payload of every benchmark job: when it was sent and when it was due (epoch ms). */
export interface BenchJobData {
  sentAt: number;
  dueAt: number;
}

export interface RedisBenchSubject {
  readonly name: string;
  /** How `enqueueBatch` works, for the report. */
  readonly batchMethod: string;
  /** Enqueues one job, delayed by `delayMs` when given. */
  enqueueOne(data: BenchJobData, delayMs?: number): Promise<void>;
  /** Enqueues a batch of ready jobs in the side's fastest way. */
  enqueueBatch(batch: readonly BenchJobData[]): Promise<void>;
  /** Starts a worker of `concurrency` that calls `onStart` as each job's handler begins. */
  startWorker(concurrency: number, onStart: (data: BenchJobData) => void): Promise<void>;
  /** Resolves once `count` jobs have finished (handler done and settled) since start. */
  waitFinished(count: number): Promise<void>;
  stopWorker(): Promise<void>;
  /** Deletes every key this side wrote. */
  clean(): Promise<void>;
  close(): Promise<void>;
}

/** A promise resolved after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
