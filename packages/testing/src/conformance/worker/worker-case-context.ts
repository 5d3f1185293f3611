/**
 * What a worker conformance case works with. The suite cannot import @stem/worker (the
 * worker's own tests import this package), so the worker arrives by injection through
 * the small structural types below. A case connects "processes" (adapters on the case's
 * namespace, wrapped in recorders, plus a Stem client) and starts workers on them;
 * every worker is closed before its adapters when the case ends. Stores the adapter
 * under test does not provide (event bus, revocations, rate limits) are in-memory ones
 * shared by the whole case, so every case runs for every adapter: none is skipped.
 */
import {
  type Broker,
  type EventBus,
  InMemoryEventBus,
  InMemoryEventBusState,
  InMemoryRateLimiter,
  InMemoryRateLimiterState,
  InMemoryRevocationStore,
  InMemoryRevocationStoreState,
  type QueueStats,
  type RateLimiter,
  type ResultBackend,
  type RevocationStore,
  Stem,
  type StemEvent,
  type TaskDefinition,
} from '@stem/core';
import { type CaseResources, type ConformanceCase, eventually } from '../conformance-case';
import { OperationSequence } from './operation-sequence';
import { RecordingBroker } from './recording-broker';
import { RecordingRateLimiter } from './recording-rate-limiter';
import { RecordingResultBackend } from './recording-result-backend';

/**
 * How long a case waits for something that must happen, ms: generous, so a loaded
 * machine does not fail a correct worker. What must not happen early is checked strictly.
 */
export const WORKER_PATIENCE_MS = 10_000;

/** The adapters under test, opened on one namespace (like one process connecting). */
export interface WorkerConformanceAdapters {
  broker: Broker;
  resultBackend: ResultBackend;
  /** @default an in-memory bus shared by the case */
  eventBus?: EventBus;
  /** @default an in-memory store shared by the case */
  revocationStore?: RevocationStore;
  /** @default an in-memory limiter shared by the case */
  rateLimiter?: RateLimiter;
  /** Closes whatever this opening created. */
  close(): Promise<void>;
}

/** The part of a worker the suite drives (`Worker` from @stem/worker fits). */
export interface ConformanceWorker {
  start(): Promise<void>;
  /** Graceful stop; resolves true if every running task finished within the grace period. */
  close(): Promise<boolean>;
}

/** What the suite asks a worker to be built with (a subset of `WorkerOptions`). */
export interface ConformanceWorkerOptions {
  broker: Broker;
  resultBackend: ResultBackend;
  eventBus: EventBus;
  revocationStore: RevocationStore;
  rateLimiter: RateLimiter;
  tasks: readonly TaskDefinition[];
  queues: readonly string[];
  /** Handlers run in-process, so cases can observe them whatever the broker. */
  pool: 'inline';
  concurrency: number;
  leaseMs: number;
  shutdownGraceMs: number;
  onError: (error: unknown) => void;
}

/** One "process" of a case: recorded adapters and a client on them. */
export interface WorkerCaseConnection {
  broker: RecordingBroker;
  resultBackend: RecordingResultBackend;
  eventBus: EventBus;
  revocationStore: RevocationStore;
  rateLimiter: RecordingRateLimiter;
  stem: Stem;
  /** Task events (`task.*`) this connection saw on the bus, in arrival order. */
  events: StemEvent[];
}

/** Per-worker settings a case chooses; the rest comes from its connection. */
export interface CaseWorkerSettings {
  tasks: readonly TaskDefinition[];
  queue: string;
  /** @default 10 */
  concurrency?: number;
  /** @default 30_000 */
  leaseMs?: number;
  /** @default 5_000 */
  shutdownGraceMs?: number;
}

export interface WorkerCaseContext {
  readonly namespace: string;
  /** A queue name no other case uses, e.g. `stem-conf-1a2b3c4d.q1`. */
  queue(suffix?: string): string;
  /** Opens the adapters once more on the case's namespace, as another process would. */
  connect(): Promise<WorkerCaseConnection>;
  /** Builds and starts a worker on `connection`; it is closed when the case ends. */
  startWorker(
    connection: WorkerCaseConnection,
    settings: CaseWorkerSettings,
  ): Promise<ConformanceWorker>;
  /** Whatever a worker reported through `onError`. */
  readonly workerErrors: unknown[];
}

export type WorkerCase = ConformanceCase<WorkerCaseContext>;

/** What CaseResources opens for a worker case: the adapters and what runs on them. */
export interface WorkerCaseSession {
  adapters: WorkerConformanceAdapters;
  /** Workers started on these adapters: closed first. */
  workers: ConformanceWorker[];
  /** Subscriptions and fallback stores of this session: closed next. */
  cleanups: Array<() => Promise<void>>;
  close(): Promise<void>;
}

/** Opens one session; the suite hands this to CaseResources. */
export async function openWorkerCaseSession(
  openAdapters: (
    namespace: string,
  ) => Promise<WorkerConformanceAdapters> | WorkerConformanceAdapters,
  namespace: string,
): Promise<WorkerCaseSession> {
  const adapters = await openAdapters(namespace);
  const session: WorkerCaseSession = {
    adapters,
    workers: [],
    cleanups: [],
    async close() {
      await Promise.allSettled(session.workers.splice(0).map((worker) => worker.close()));
      for (const cleanup of session.cleanups.splice(0).reverse()) await cleanup();
      await adapters.close();
    },
  };
  return session;
}

/** Builds the context of one case run. */
export function createWorkerCaseContext(
  resources: CaseResources<WorkerCaseSession>,
  createWorker: (
    options: ConformanceWorkerOptions,
  ) => ConformanceWorker | Promise<ConformanceWorker>,
): WorkerCaseContext {
  const sequence = new OperationSequence();
  // Stand-ins for stores the adapter does not provide, shared by the case's sessions.
  const fallback = {
    events: new InMemoryEventBusState(),
    revocations: new InMemoryRevocationStoreState(),
    rateLimits: new InMemoryRateLimiterState(),
  };
  const sessions = new Map<WorkerCaseConnection, WorkerCaseSession>();
  const workerErrors: unknown[] = [];
  let queues = 0;
  return {
    namespace: resources.namespace,
    workerErrors,
    queue(suffix) {
      queues += 1;
      return `${resources.namespace}.q${queues}${suffix === undefined ? '' : `.${suffix}`}`;
    },
    async connect() {
      const session = await resources.open();
      const connection = await connectSession(session, sequence, fallback);
      sessions.set(connection, session);
      return connection;
    },
    async startWorker(connection, settings) {
      const session = sessions.get(connection);
      if (session === undefined) throw new Error('startWorker needs a connection from connect()');
      const worker = await createWorker({
        broker: connection.broker,
        resultBackend: connection.resultBackend,
        eventBus: connection.eventBus,
        revocationStore: connection.revocationStore,
        rateLimiter: connection.rateLimiter,
        tasks: settings.tasks,
        queues: [settings.queue],
        pool: 'inline',
        concurrency: settings.concurrency ?? 10,
        leaseMs: settings.leaseMs ?? 30_000,
        shutdownGraceMs: settings.shutdownGraceMs ?? 5_000,
        onError: (error) => void workerErrors.push(error),
      });
      session.workers.push(worker);
      await worker.start();
      return worker;
    },
  };
}

async function connectSession(
  session: WorkerCaseSession,
  sequence: OperationSequence,
  fallback: {
    events: InMemoryEventBusState;
    revocations: InMemoryRevocationStoreState;
    rateLimits: InMemoryRateLimiterState;
  },
): Promise<WorkerCaseConnection> {
  const { adapters, cleanups } = session;
  const eventBus =
    adapters.eventBus ?? closedLater(new InMemoryEventBus({ state: fallback.events }), cleanups);
  const revocationStore =
    adapters.revocationStore ??
    closedLater(new InMemoryRevocationStore({ state: fallback.revocations }), cleanups);
  const limiter =
    adapters.rateLimiter ??
    closedLater(new InMemoryRateLimiter({ state: fallback.rateLimits }), cleanups);
  const broker = new RecordingBroker(adapters.broker, sequence);
  const resultBackend = new RecordingResultBackend(adapters.resultBackend, sequence);
  const events: StemEvent[] = [];
  const unsubscribe = await eventBus.subscribe((event) => {
    if (event.type.startsWith('task.')) events.push(event);
  });
  cleanups.push(unsubscribe);
  return {
    broker,
    resultBackend,
    eventBus,
    revocationStore,
    rateLimiter: new RecordingRateLimiter(limiter),
    stem: new Stem({ broker, resultBackend, eventBus, revocationStore }),
    events,
  };
}

function closedLater<T extends { close(): Promise<void> }>(
  store: T,
  cleanups: Array<() => Promise<void>>,
): T {
  cleanups.push(() => store.close());
  return store;
}

/** Waits until the queue's counters match `expected` (those given). */
export async function waitForQueueStats(
  broker: Broker,
  queue: string,
  expected: Partial<Omit<QueueStats, 'queue'>>,
  what: string,
): Promise<void> {
  let last: QueueStats | undefined;
  const matches = async () => {
    const seen = await broker.stats(queue);
    last = seen;
    return Object.entries(expected).every(
      ([field, count]) => seen[field as keyof typeof expected] === count,
    );
  };
  try {
    await eventually(what, matches, WORKER_PATIENCE_MS);
  } catch (error) {
    // Only the timeout is rephrased: a failing stats() call is reported as it is.
    if (!(error instanceof Error && error.message.startsWith('timed out'))) throw error;
    throw new Error(
      `timed out waiting for ${what}: expected ${JSON.stringify(expected)}, last saw ${JSON.stringify(last)}`,
    );
  }
}

/** Throws if any worker reported an error through `onError`. */
export function assertNoWorkerErrors(context: WorkerCaseContext): void {
  if (context.workerErrors.length === 0) return;
  const described = context.workerErrors.map((error) =>
    error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  );
  throw new Error(`workers reported errors: ${described.join(' | ')}`);
}
