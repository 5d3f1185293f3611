/**
 * A pool of worker_threads, each running one task at a time with the app module
 * loaded. Runs on the main thread. The hard time limit terminates the task's thread;
 * a thread that dies (process.exit, an uncaught error, heap exhaustion) fails its task
 * with WORKER_LOST; either way a fresh thread takes its place. Threads are also
 * recycled after a number of tasks or past a heap size, since a V8 isolate does not
 * always give memory back.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker as Thread } from 'node:worker_threads';
import { ClosedError, type StemError, WorkerLostError } from '@stem/core';
import { resolveAppModule } from '../app/load-app-module';
import type { PoolJob, PoolJobHooks, PoolOutcome, TaskPool } from './task-pool';
import type { MainToThread, ThreadData, ThreadToMain } from './thread-messages';
import { startTimeLimits } from './time-limits';

export interface ThreadPoolOptions {
  /** Path or file: URL of the module that defines the tasks. */
  appModule: string | URL;
  /** Threads, each running one task at a time. @default os.availableParallelism() */
  size?: number;
  /** Replace a thread after this many tasks. @default 1_000 */
  maxTasksPerThread?: number;
  /** Replace a thread whose V8 heap in use exceeds this after a task, bytes. @default 512 MiB */
  recycleHeapBytes?: number;
  /** V8 old-generation limit per thread, MiB (best effort: see Node's resourceLimits). @default Node's default */
  maxOldGenerationSizeMb?: number;
  /** Called when a replacement thread cannot start. @default console.error */
  onError?: (error: unknown) => void;
}

interface Slot {
  thread: Thread;
  tasksRun: number;
  job?: { id: string; taskId: string; hooks: PoolJobHooks; settle(outcome: PoolOutcome): void };
}

export class ThreadPool implements TaskPool {
  readonly kind = 'threads' as const;
  readonly size: number;
  readonly #options: ThreadPoolOptions;
  readonly #appModule: string;
  readonly #idle: Slot[] = [];
  readonly #all = new Set<Slot>();
  readonly #waiting: Array<(slot: Slot) => void> = [];
  #closed = false;

  constructor(options: ThreadPoolOptions) {
    this.#options = options;
    this.#appModule = resolveAppModule(options.appModule);
    this.size = options.size ?? availableParallelism();
    if (!Number.isInteger(this.size) || this.size < 1) {
      throw new RangeError(`pool size must be a positive integer, got ${this.size}`);
    }
  }

  /** Starts every thread and waits until each has loaded the app module. */
  async start(): Promise<void> {
    const slots = await Promise.all(Array.from({ length: this.size }, () => this.#spawn()));
    for (const slot of slots) this.#release(slot);
  }

  /** Threads alive now (for tests and metrics). */
  get threadCount(): number {
    return this.#all.size;
  }

  async run(job: PoolJob, hooks: PoolJobHooks): Promise<PoolOutcome> {
    const slot = await this.#acquire();
    return new Promise<PoolOutcome>((resolve) => {
      let settled = false;
      const stopTimers = startTimeLimits(job, {
        onSoftLimit: (reason) =>
          this.#post(slot, { type: 'abort', jobId: job.jobId, reason: reason.toRecord() }),
        onHardLimit: (reason) => {
          settle({ ok: false, error: reason.toRecord(), thrown: reason });
          this.#replace(slot);
        },
      });
      const settle = (outcome: PoolOutcome): void => {
        if (settled) return;
        settled = true;
        stopTimers();
        slot.job = undefined;
        resolve(outcome);
      };
      slot.job = { id: job.jobId, taskId: job.envelope.id, hooks, settle };
      this.#post(slot, { type: 'run', jobId: job.jobId, envelope: job.envelope, queue: job.queue });
    });
  }

  abort(jobId: string, reason: StemError): void {
    for (const slot of this.#all) {
      if (slot.job?.id === jobId)
        this.#post(slot, { type: 'abort', jobId, reason: reason.toRecord() });
    }
  }

  /** Terminates every thread; tasks still running end with CLOSED. */
  async close(): Promise<void> {
    this.#closed = true;
    const slots = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    for (const slot of slots) {
      if (slot.job === undefined) continue;
      const error = new ClosedError('the thread pool');
      slot.job.settle({ ok: false, error: error.toRecord(), thrown: error });
    }
    await Promise.all(slots.map((slot) => slot.thread.terminate()));
  }

  #spawn(): Promise<Slot> {
    const { entry, boot } = threadEntry();
    const loadTypeScript = /\.[mc]?tsx?$/.test(this.#appModule);
    const workerData: ThreadData & { threadEntry?: string } = {
      appModule: this.#appModule,
      loadTypeScript,
    };
    if (boot !== undefined) workerData.threadEntry = entry.href;
    const thread = new Thread(boot ?? entry, {
      workerData,
      ...(this.#options.maxOldGenerationSizeMb === undefined
        ? {}
        : { resourceLimits: { maxOldGenerationSizeMb: this.#options.maxOldGenerationSizeMb } }),
    });
    const slot: Slot = { thread, tasksRun: 0 };
    return new Promise<Slot>((resolve, reject) => {
      const failStartup = (error: unknown): void => {
        detach();
        void thread.terminate();
        reject(new Error(`a worker thread failed to start: ${describe(error)}`, { cause: error }));
      };
      const onExit = (code: number): void => failStartup(new Error(`it exited with code ${code}`));
      const onReady = (message: ThreadToMain): void => {
        if (message.type !== 'ready') {
          failStartup(new Error(`unexpected first message ${message.type}`));
          return;
        }
        detach();
        this.#watch(slot);
        this.#all.add(slot);
        resolve(slot);
      };
      // Only our own listeners are removed: Worker keeps internal ones that must stay.
      const detach = (): void => {
        thread.off('error', failStartup);
        thread.off('exit', onExit);
        thread.off('message', onReady);
      };
      thread.on('error', failStartup);
      thread.on('exit', onExit);
      thread.once('message', onReady);
    });
  }

  #watch(slot: Slot): void {
    slot.thread.on('message', (message: ThreadToMain) => {
      if (!this.#all.has(slot)) return;
      if (message.type === 'progress') slot.job?.hooks.onProgress(message.progress);
      if (message.type !== 'done' || slot.job?.id !== message.jobId) return;
      slot.job.settle(message.outcome);
      slot.tasksRun += 1;
      const worn = slot.tasksRun >= (this.#options.maxTasksPerThread ?? 1_000);
      const bloated = message.heapUsedBytes > (this.#options.recycleHeapBytes ?? 512 * 1024 * 1024);
      if (worn || bloated) this.#replace(slot);
      else this.#release(slot);
    });
    slot.thread.on('error', (error) =>
      this.#lost(slot, `uncaught ${error.name}: ${error.message}`),
    );
    slot.thread.on('exit', (code) => this.#lost(slot, `the thread exited with code ${code}`));
  }

  /** A thread died on its own: fail its task and put a new thread in its place. */
  #lost(slot: Slot, how: string): void {
    if (!this.#all.has(slot)) return;
    const job = slot.job;
    if (job !== undefined) {
      const error = new WorkerLostError(job.taskId, how);
      job.settle({ ok: false, error: error.toRecord(), thrown: error });
    }
    this.#replace(slot);
  }

  #replace(slot: Slot): void {
    if (!this.#all.delete(slot)) return;
    const index = this.#idle.indexOf(slot);
    if (index >= 0) this.#idle.splice(index, 1);
    // #all no longer holds the slot, so its listeners ignore whatever it still reports.
    void slot.thread.terminate();
    this.#spawnReplacement();
  }

  #spawnReplacement(): void {
    if (this.#closed) return;
    this.#spawn().then(
      (fresh) => {
        if (this.#closed) void fresh.thread.terminate();
        else this.#release(fresh);
      },
      (error: unknown) => {
        (this.#options.onError ?? console.error)(error);
        // Keep the pool at full size: try again shortly rather than shrink for good.
        setTimeout(() => this.#spawnReplacement(), 1_000).unref();
      },
    );
  }

  #acquire(): Promise<Slot> {
    const slot = this.#idle.pop();
    if (slot !== undefined) return Promise.resolve(slot);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(slot: Slot): void {
    const waiter = this.#waiting.shift();
    if (waiter !== undefined) waiter(slot);
    else this.#idle.push(slot);
  }

  #post(slot: Slot, message: MainToThread): void {
    slot.thread.postMessage(message);
  }
}

/** The built thread entry beside this file, or (from sources) the TypeScript one via a boot file. */
function threadEntry(): { entry: URL; boot?: URL } {
  const built = new URL('./thread-entry.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return { entry: built };
  return {
    entry: new URL('./thread-entry.ts', import.meta.url),
    boot: new URL('./typescript-thread-boot.mjs', import.meta.url),
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
