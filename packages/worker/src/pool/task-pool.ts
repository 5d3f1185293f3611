/**
 * The pool contract: where a task's handler actually runs. The worker's main thread
 * decides what to run and settles it with the broker; a pool only executes and
 * reports. Two pools implement it: `InlinePool` (handlers as async functions on the
 * main thread) and `ThreadPool` (one task at a time per worker_thread, with hard
 * time limits enforced by terminating the thread).
 */
import type { Envelope, ErrorRecord, StemError, TaskProgress } from '@stem/core';

export interface PoolJob {
  /** Unique per execution (the delivery's lease token serves well). */
  jobId: string;
  envelope: Envelope;
  queue: string;
  /** Abort the task's signal after this many ms. */
  softTimeLimitMs?: number;
  /** Terminate the task after this many ms. */
  hardTimeLimitMs?: number;
}

export type PoolOutcome =
  | { ok: true; value: unknown }
  /** `thrown` is the original value when the task ran on this thread (class matchers use it). */
  | { ok: false; error: ErrorRecord; thrown?: unknown };

export interface PoolJobHooks {
  onProgress(progress: TaskProgress): void;
}

export interface TaskPool {
  readonly kind: 'inline' | 'threads';
  /** Tasks the pool can run at once. */
  readonly size: number;
  start(): Promise<void>;
  /** Runs one task to an outcome; never rejects for the task's own failures. */
  run(job: PoolJob, hooks: PoolJobHooks): Promise<PoolOutcome>;
  /** Aborts a running task's signal with `reason` (revocation, shutdown). */
  abort(jobId: string, reason: StemError): void;
  close(): Promise<void>;
}
