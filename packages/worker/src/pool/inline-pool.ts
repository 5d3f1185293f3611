/**
 * Runs handlers as async functions on the main thread: high concurrency for I/O-bound
 * tasks, no isolation. The hard time limit cannot stop JavaScript that is running
 * here, so on the hard limit the task's signal is aborted and its outcome recorded as
 * TIME_LIMIT_EXCEEDED at once; whatever the handler does afterwards is ignored.
 */
import { type Middleware, type StemError, type TaskRegistry, toErrorRecord } from '@stem/core';
import { runTaskHandler } from './run-task-handler';
import type { PoolJob, PoolJobHooks, PoolOutcome, TaskPool } from './task-pool';
import { startTimeLimits } from './time-limits';

export interface InlinePoolOptions {
  registry: TaskRegistry;
  middleware?: readonly Middleware[];
  /** Tasks run at once. @default 10 */
  concurrency?: number;
}

export class InlinePool implements TaskPool {
  readonly kind = 'inline' as const;
  readonly size: number;
  readonly #registry: TaskRegistry;
  readonly #middleware: readonly Middleware[];
  readonly #running = new Map<string, AbortController>();

  constructor(options: InlinePoolOptions) {
    this.#registry = options.registry;
    this.#middleware = options.middleware ?? [];
    this.size = options.concurrency ?? 10;
  }

  async start(): Promise<void> {}

  run(job: PoolJob, hooks: PoolJobHooks): Promise<PoolOutcome> {
    const controller = new AbortController();
    this.#running.set(job.jobId, controller);
    return new Promise<PoolOutcome>((resolve) => {
      const stopTimers = startTimeLimits(job, {
        onSoftLimit: (reason) => controller.abort(reason),
        onHardLimit: (reason) => {
          controller.abort(reason);
          resolve({ ok: false, error: reason.toRecord(), thrown: reason });
        },
      });
      const finish = (outcome: PoolOutcome) => {
        stopTimers();
        this.#running.delete(job.jobId);
        resolve(outcome);
      };
      runTaskHandler({
        registry: this.#registry,
        middleware: this.#middleware,
        envelope: job.envelope,
        queue: job.queue,
        controller,
        onProgress: hooks.onProgress,
      }).then(
        (value) => finish({ ok: true, value }),
        (thrown: unknown) => finish({ ok: false, error: toErrorRecord(thrown), thrown }),
      );
    });
  }

  abort(jobId: string, reason: StemError): void {
    this.#running.get(jobId)?.abort(reason);
  }

  async close(): Promise<void> {}
}
