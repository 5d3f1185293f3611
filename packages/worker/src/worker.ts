/**
 * The worker: subscribes to its queues, runs each delivery inline on the main thread
 * (async handlers, good for I/O-bound work), keeps leases alive while tasks run, and
 * shuts down gracefully. Deliveries beyond the concurrency cap wait in a local queue
 * and are released back to the broker, uncounted, if the worker stops first.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type Broker,
  DEFAULT_DELIVERY_LIMIT,
  DEFAULT_LEASE_MS,
  type Delivery,
  type EventBus,
  hasErrorCode,
  type Middleware,
  type ResultBackend,
  type RevocationStore,
  type Subscription,
  type TaskDefinition,
  TaskRegistry,
} from '@stem/core';
import { type ExecutionOutcome, type ExecutionServices, executeDelivery } from './execute-delivery';

export interface WorkerOptions {
  broker: Broker;
  resultBackend?: ResultBackend;
  tasks: Iterable<TaskDefinition>;
  /** @default ['default'] */
  queues?: readonly string[];
  /** Tasks run at once by this worker. @default 10 */
  concurrency?: number;
  /** Lease per delivery; renewed every third of it while the task runs. @default 30_000 */
  leaseMs?: number;
  /** Deliveries of one message before it is dead-lettered. @default 10 */
  deliveryLimit?: number;
  middleware?: readonly Middleware[];
  eventBus?: EventBus;
  revocationStore?: RevocationStore;
  /** TTL of result records. @default no expiry */
  resultTtlMs?: number;
  /** How long `close()` lets running tasks finish before aborting them. @default 30_000 */
  shutdownGraceMs?: number;
  /** @default `${hostname}-${pid}-${random}` */
  workerId?: string;
  /** Called when settling a delivery fails unexpectedly (broker down…). @default console.error */
  onError?: (error: unknown) => void;
}

interface RunningTask {
  delivery: Delivery;
  abort: AbortController;
  done: Promise<void>;
}

export class Worker {
  readonly workerId: string;
  readonly #options: WorkerOptions;
  readonly #services: ExecutionServices;
  readonly #concurrency: number;
  readonly #leaseMs: number;
  readonly #waiting: Delivery[] = [];
  readonly #running = new Set<RunningTask>();
  readonly #subscriptions: Subscription[] = [];
  readonly #outcomes = new Map<ExecutionOutcome, number>();
  #state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';

  constructor(options: WorkerOptions) {
    this.#options = options;
    this.workerId = options.workerId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.#concurrency = options.concurrency ?? 10;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    if (!Number.isInteger(this.#concurrency) || this.#concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${this.#concurrency}`);
    }
    this.#services = {
      broker: options.broker,
      registry: new TaskRegistry(options.tasks),
      resultBackend: options.resultBackend,
      eventBus: options.eventBus,
      revocationStore: options.revocationStore,
      middleware: options.middleware ?? [],
      workerId: this.workerId,
      resultTtlMs: options.resultTtlMs,
      random: Math.random,
    };
  }

  /** Counts of finished deliveries by outcome since start. */
  get outcomes(): ReadonlyMap<ExecutionOutcome, number> {
    return this.#outcomes;
  }

  get activeCount(): number {
    return this.#running.size;
  }

  async start(): Promise<void> {
    if (this.#state !== 'idle') throw new Error(`worker ${this.workerId} was already started`);
    this.#state = 'running';
    for (const queue of this.#options.queues ?? ['default']) {
      const subscription = await this.#options.broker.consume(
        {
          queue,
          prefetch: this.#concurrency,
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
   */
  async close(): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'stopping') return;
    this.#state = 'stopping';
    await Promise.all(this.#subscriptions.splice(0).map((subscription) => subscription.cancel()));
    await Promise.all(
      this.#waiting
        .splice(0)
        .map((delivery) => this.#settleQuietly(() => this.#options.broker.release(delivery))),
    );
    const finished = Promise.all([...this.#running].map((task) => task.done));
    const graceMs = this.#options.shutdownGraceMs ?? 30_000;
    const timedOut = await raceTimeout(finished, graceMs);
    if (timedOut) {
      for (const task of this.#running) {
        task.abort.abort(new Error('worker shutting down'));
        await this.#settleQuietly(() => this.#options.broker.release(task.delivery));
      }
    }
    this.#state = 'stopped';
  }

  #accept(delivery: Delivery): void {
    if (this.#state !== 'running') {
      void this.#settleQuietly(() => this.#options.broker.release(delivery));
      return;
    }
    this.#waiting.push(delivery);
    this.#drain();
  }

  #drain(): void {
    while (this.#running.size < this.#concurrency && this.#state === 'running') {
      const delivery = this.#waiting.shift();
      if (delivery === undefined) return;
      this.#run(delivery);
    }
  }

  #run(delivery: Delivery): void {
    const abort = new AbortController();
    const keeper = setInterval(
      () => void this.#extendLease(delivery, abort),
      Math.max(50, this.#leaseMs / 3),
    );
    const task: RunningTask = { delivery, abort, done: Promise.resolve() };
    task.done = executeDelivery(this.#services, delivery, abort.signal)
      .then((outcome) => {
        this.#outcomes.set(outcome, (this.#outcomes.get(outcome) ?? 0) + 1);
      })
      .catch((error: unknown) => this.#report(error))
      .finally(() => {
        clearInterval(keeper);
        this.#running.delete(task);
        this.#drain();
      });
    this.#running.add(task);
  }

  async #extendLease(delivery: Delivery, abort: AbortController): Promise<void> {
    try {
      await this.#options.broker.extendLease(delivery, this.#leaseMs);
    } catch (error) {
      // Another worker may now hold the message: stop this run; its ack would be refused.
      if (hasErrorCode(error, 'LEASE_LOST')) abort.abort(error);
      else this.#report(error);
    }
  }

  async #settleQuietly(settle: () => Promise<void>): Promise<void> {
    try {
      await settle();
    } catch (error) {
      if (!hasErrorCode(error, 'LEASE_LOST')) this.#report(error);
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
