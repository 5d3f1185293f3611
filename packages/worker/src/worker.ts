/**
 * The worker: subscribes to its queues, hands each delivery to a pool (inline or
 * worker_threads), keeps leases alive from the main thread while deliveries are held,
 * and shuts down gracefully. A slot of the concurrency cap is taken while a delivery
 * is checked and its handler runs; once a handler has succeeded, its result is recorded
 * and its message acked after the slot is given back, so the next task never waits on
 * those round trips. Deliveries beyond the cap wait in a local queue (the prefetch) and
 * are released back to the broker, uncounted, if the worker stops first.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type Broker,
  ClosedError,
  DEFAULT_DELIVERY_LIMIT,
  DEFAULT_LEASE_MS,
  type Delivery,
  type EventBus,
  failpoint,
  hasErrorCode,
  InMemoryLockStore,
  InMemoryRateLimiter,
  type LockStore,
  type Middleware,
  type RateLimiter,
  type ResultBackend,
  type RevocationStore,
  type StemError,
  type Subscription,
  type TaskDefinition,
  TaskRegistry,
  TaskRevokedError,
  type TaskRevokeRequestEvent,
} from '@stem/core';
import type { AfterTaskHook } from './after-task';
import { loadAppModule } from './app/load-app-module';
import { type ExecutionOutcome, type ExecutionServices, executeDelivery } from './execute-delivery';
import { InlinePool } from './pool/inline-pool';
import type { TaskPool } from './pool/task-pool';
import { ThreadPool, type ThreadPoolOptions } from './pool/thread-pool';
import { TaskReporter } from './task-reporter';

export interface WorkerOptions {
  broker: Broker;
  resultBackend?: ResultBackend;
  /** The tasks, for the inline pool. Either this or `appModule`. */
  tasks?: Iterable<TaskDefinition>;
  /** Path or URL of the module that defines the tasks; required for the thread pool. */
  appModule?: string | URL;
  /** Where handlers run. @default 'threads' with appModule, else 'inline' */
  pool?: 'inline' | 'threads';
  /** Thread pool tuning (size comes from `concurrency`). */
  threads?: Omit<ThreadPoolOptions, 'appModule' | 'size' | 'onError'>;
  /** @default ['default'] */
  queues?: readonly string[];
  /** Tasks run at once: the global cap. @default 10 inline, os.availableParallelism() threads */
  concurrency?: number;
  /**
   * Deliveries each queue subscription holds at once: running, waiting for a slot, and
   * being settled. Waiting ones keep their leases alive too. @default 4 × concurrency
   */
  prefetch?: number;
  /** Lease per delivery; renewed every third of it while the worker holds it. @default 30_000 */
  leaseMs?: number;
  /** Deliveries of one message before it is dead-lettered. @default 10 */
  deliveryLimit?: number;
  /** Execute middleware for the inline pool (an app module exports its own). */
  middleware?: readonly Middleware[];
  /** Where heartbeats, progress and task events go, and revocations arrive. */
  eventBus?: EventBus;
  revocationStore?: RevocationStore;
  /**
   * Token buckets for tasks with a `rateLimit`. Share one store between workers for a
   * global limit. @default a private in-memory limiter (the limit is then per worker)
   */
  rateLimiter?: RateLimiter;
  /**
   * Serialises deliveries that share an idempotency key. Share one store between workers
   * so duplicates on different workers wait for each other. @default a private in-memory store
   */
  lockStore?: LockStore;
  /** How long an idempotency key remembers its task's result. @default 86_400_000 (24 h) */
  idempotencyTtlMs?: number;
  /** Interval of worker heartbeat events. @default 10_000 */
  heartbeatIntervalMs?: number;
  /** TTL of result records. @default no expiry */
  resultTtlMs?: number;
  /** How long `close()` lets running tasks finish before aborting them. @default 30_000 */
  shutdownGraceMs?: number;
  /** @default `${hostname}-${pid}-${random}` */
  workerId?: string;
  /**
   * Runs after each task's terminal result is written and before its ack, e.g.
   * `canvasContinuations(...)` from @stem/canvas. Must be idempotent (a crash repeats it).
   * @default none
   */
  afterTask?: AfterTaskHook;
  /** Called when settling a delivery fails unexpectedly (broker down…). @default console.error */
  onError?: (error: unknown) => void;
}

/**
 * Deliveries held per slot by default (Celery's default multiplier too): enough that the
 * next tasks are at hand while earlier ones are being recorded and acked.
 */
const DEFAULT_PREFETCH_MULTIPLIER = 4;

interface RunningTask {
  delivery: Delivery;
  done: Promise<void>;
}

export class Worker {
  readonly workerId: string;
  readonly #options: WorkerOptions;
  readonly #leaseMs: number;
  readonly #waiting: Delivery[] = [];
  /** Deliveries started and not yet settled (their handler may have finished). */
  readonly #running = new Map<string, RunningTask>();
  /**
   * Lease keepers (intervals renewing every third of the lease) of every held delivery,
   * waiting or running, by lease token.
   */
  readonly #keepers = new Map<string, NodeJS.Timeout>();
  /** The latest lease end the broker confirmed for each held delivery (epoch ms). */
  readonly #leaseEnds = new Map<string, number>();
  /** Slots of the concurrency cap in use: deliveries checked or running their handler. */
  #executing = 0;
  readonly #subscriptions: Subscription[] = [];
  readonly #outcomes = new Map<ExecutionOutcome, number>();
  #services: ExecutionServices | undefined;
  #pool: TaskPool | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #unsubscribe: (() => Promise<void>) | undefined;
  #processed = 0;
  #state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';

  constructor(options: WorkerOptions) {
    if (options.tasks === undefined && options.appModule === undefined) {
      throw new TypeError('a worker needs its tasks: pass `tasks` or `appModule`');
    }
    if (options.pool === 'threads' && options.appModule === undefined) {
      throw new TypeError('the thread pool needs `appModule`: threads load the tasks from it');
    }
    const concurrency = options.concurrency;
    if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) {
      throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    }
    const prefetch = options.prefetch;
    if (prefetch !== undefined && (!Number.isInteger(prefetch) || prefetch < 1)) {
      throw new RangeError(`prefetch must be a positive integer, got ${prefetch}`);
    }
    this.#options = options;
    this.workerId = options.workerId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /** Counts of finished deliveries by outcome since start. */
  get outcomes(): ReadonlyMap<ExecutionOutcome, number> {
    return this.#outcomes;
  }

  /** Tasks holding a slot: being checked or running their handler. */
  get activeCount(): number {
    return this.#executing;
  }

  /** The pool's kind and size, once started. */
  get pool(): TaskPool | undefined {
    return this.#pool;
  }

  async start(): Promise<void> {
    if (this.#state !== 'idle') throw new Error(`worker ${this.workerId} was already started`);
    this.#state = 'running';
    const { registry, middleware } = await this.#loadTasks();
    const onError =
      this.#options.onError ?? ((error: unknown) => console.error('[stem worker]', error));
    this.#pool = this.#createPool(registry, middleware, onError);
    await this.#pool.start();
    this.#services = {
      broker: this.#options.broker,
      registry,
      resultBackend: this.#options.resultBackend,
      revocationStore: this.#options.revocationStore,
      rateLimiter: this.#options.rateLimiter ?? new InMemoryRateLimiter(),
      reporter: new TaskReporter({
        resultBackend: this.#options.resultBackend,
        eventBus: this.#options.eventBus,
        registry,
        workerId: this.workerId,
        resultTtlMs: this.#options.resultTtlMs,
      }),
      pool: this.#pool,
      leaseMs: this.#leaseMs,
      lockStore: this.#options.lockStore ?? new InMemoryLockStore(),
      idempotencyTtlMs: this.#options.idempotencyTtlMs ?? 86_400_000,
      workerId: this.workerId,
      isStopping: () => this.#state === 'stopping' || this.#state === 'stopped',
      random: Math.random,
      onError,
      ...(this.#options.afterTask === undefined ? {} : { afterTask: this.#options.afterTask }),
    };
    this.#unsubscribe = await this.#options.eventBus?.subscribe(
      (event) => this.#onRevokeRequest(event as TaskRevokeRequestEvent),
      ['task.revoke-requested'],
    );
    this.#startHeartbeat();
    for (const queue of this.#options.queues ?? ['default']) {
      const subscription = await this.#options.broker.consume(
        {
          queue,
          prefetch: this.#options.prefetch ?? this.#pool.size * DEFAULT_PREFETCH_MULTIPLIER,
          leaseMs: this.#leaseMs,
          deliveryLimit: this.#options.deliveryLimit ?? DEFAULT_DELIVERY_LIMIT,
        },
        (delivery) => this.#accept(delivery),
      );
      this.#subscriptions.push(subscription);
    }
  }

  /**
   * Stops fetching, hands unstarted deliveries back at once, lets running tasks finish
   * within the grace period, then aborts the rest and releases their messages.
   * Resolves true if every running task finished in time.
   */
  async close(): Promise<boolean> {
    if (this.#state === 'stopped' || this.#state === 'stopping') return true;
    this.#state = 'stopping';
    clearInterval(this.#heartbeat);
    await Promise.all(this.#subscriptions.splice(0).map((subscription) => subscription.cancel()));
    // Released one by one, last first: each goes back ahead of the queue, so they keep
    // their order there.
    for (const delivery of this.#waiting.splice(0).reverse()) {
      this.#stopKeeping(delivery);
      await this.#release(delivery);
    }
    const finished = Promise.all([...this.#running.values()].map((task) => task.done));
    const timedOut = await raceTimeout(finished, this.#options.shutdownGraceMs ?? 30_000);
    if (timedOut) {
      const reason = new ClosedError(`worker ${this.workerId}`);
      for (const [jobId, task] of this.#running) {
        this.#pool?.abort(jobId, reason);
        await this.#release(task.delivery);
      }
    }
    await this.#pool?.close();
    await this.#unsubscribe?.();
    this.#state = 'stopped';
    return !timedOut;
  }

  /** Aborts the running task with this id, if it runs here (revocation with terminate). */
  abortTask(taskId: string, reason: StemError): boolean {
    for (const [jobId, task] of this.#running) {
      if (task.delivery.envelope.id === taskId) {
        this.#pool?.abort(jobId, reason);
        return true;
      }
    }
    return false;
  }

  async #loadTasks() {
    if (this.#options.tasks !== undefined) {
      return {
        registry: new TaskRegistry(this.#options.tasks),
        middleware: this.#options.middleware ?? [],
      };
    }
    return loadAppModule(this.#options.appModule!);
  }

  #createPool(
    registry: TaskRegistry,
    middleware: readonly Middleware[],
    onError: (error: unknown) => void,
  ): TaskPool {
    const kind =
      this.#options.pool ?? (this.#options.appModule === undefined ? 'inline' : 'threads');
    if (kind === 'inline') {
      return new InlinePool({ registry, middleware, concurrency: this.#options.concurrency ?? 10 });
    }
    return new ThreadPool({
      ...this.#options.threads,
      appModule: this.#options.appModule!,
      ...(this.#options.concurrency === undefined ? {} : { size: this.#options.concurrency }),
      onError,
    });
  }

  #accept(delivery: Delivery): void {
    // A test can crash or stall the worker right after a message was reserved.
    const delayed = failpoint('worker.after-reserve');
    if (delayed === undefined) this.#admit(delivery);
    else void delayed.then(() => this.#admit(delivery));
  }

  #admit(delivery: Delivery): void {
    if (this.#state !== 'running') {
      void this.#release(delivery);
      return;
    }
    const renewEveryMs = Math.max(50, Math.floor(this.#leaseMs / 3));
    this.#leaseEnds.set(delivery.leaseToken, delivery.leaseExpiresAt);
    this.#keepers.set(
      delivery.leaseToken,
      setInterval(() => void this.#extendLease(delivery), renewEveryMs),
    );
    this.#waiting.push(delivery);
    this.#drain();
  }

  #drain(): void {
    const capacity = this.#pool?.size ?? 0;
    while (this.#executing < capacity && this.#state === 'running') {
      const delivery = this.#waiting.shift();
      if (delivery === undefined) return;
      // A process stalled past a lease (a blocked event loop, a paused VM) could not keep
      // it alive: the message may already run elsewhere, so it is left to the broker's
      // redelivery rather than started here a second time.
      if ((this.#leaseEnds.get(delivery.leaseToken) ?? 0) <= Date.now()) {
        this.#stopKeeping(delivery);
        continue;
      }
      this.#run(delivery);
    }
  }

  #run(delivery: Delivery): void {
    const services = this.#services!;
    const jobId = delivery.leaseToken;
    const task: RunningTask = { delivery, done: Promise.resolve() };
    this.#running.set(jobId, task);
    this.#executing += 1;
    let slotHeld = true;
    const freeSlot = () => {
      if (!slotHeld) return;
      slotHeld = false;
      this.#executing -= 1;
      this.#drain();
    };
    const forget = () => {
      this.#stopKeeping(delivery);
      this.#running.delete(jobId);
      freeSlot();
    };
    task.done = executeDelivery(services, delivery, freeSlot).then(
      (outcome) => {
        this.#outcomes.set(outcome, (this.#outcomes.get(outcome) ?? 0) + 1);
        this.#processed += 1;
        forget();
      },
      (error: unknown) => {
        forget();
        this.#report(error);
      },
    );
  }

  #stopKeeping(delivery: Delivery): void {
    clearInterval(this.#keepers.get(delivery.leaseToken));
    this.#keepers.delete(delivery.leaseToken);
    this.#leaseEnds.delete(delivery.leaseToken);
  }

  async #extendLease(delivery: Delivery): Promise<void> {
    try {
      const leaseEndsAt = await this.#options.broker.extendLease(delivery, this.#leaseMs);
      if (this.#keepers.has(delivery.leaseToken))
        this.#leaseEnds.set(delivery.leaseToken, leaseEndsAt);
      // A delivery still waiting for a slot has no record to stamp yet.
      if (this.#running.has(delivery.leaseToken)) {
        await this.#services?.reporter.heartbeat(delivery, Date.now());
      }
    } catch (error) {
      // Another worker may now hold the message: stop this run; its ack would be refused.
      if (hasErrorCode(error, 'LEASE_LOST'))
        this.#pool?.abort(delivery.leaseToken, error as StemError);
      else this.#report(error);
    }
  }

  #onRevokeRequest(event: TaskRevokeRequestEvent): void {
    if (event.terminate)
      this.abortTask(event.taskId, new TaskRevokedError(event.taskId, event.reason));
  }

  /**
   * Emits `worker.heartbeat` events every `heartbeatIntervalMs`. The interval is not
   * unref'd: like a server's listening socket, a running worker keeps its process alive.
   */
  #startHeartbeat(): void {
    const eventBus = this.#options.eventBus;
    const intervalMs = this.#options.heartbeatIntervalMs ?? 10_000;
    const beat = () => {
      eventBus
        ?.publish({
          type: 'worker.heartbeat',
          workerId: this.workerId,
          hostname: hostname(),
          pid: process.pid,
          queues: [...(this.#options.queues ?? ['default'])],
          active: this.#executing,
          processed: this.#processed,
          intervalMs,
          at: Date.now(),
        })
        .catch((error: unknown) => this.#report(error));
    };
    beat();
    this.#heartbeat = setInterval(beat, intervalMs);
  }

  async #release(delivery: Delivery): Promise<void> {
    try {
      await this.#options.broker.release(delivery);
    } catch (error) {
      this.#report(error);
    }
  }

  #report(error: unknown): void {
    if (hasErrorCode(error, 'LEASE_LOST')) return;
    (this.#options.onError ?? ((reported) => console.error('[stem worker]', reported)))(error);
  }
}

/** Resolves true if `promise` did not settle within `ms`. */
async function raceTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), ms);
  });
  try {
    return await Promise.race([promise.then(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
