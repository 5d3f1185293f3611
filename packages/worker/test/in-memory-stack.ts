/**
 * The in-memory adapters a worker test needs, one fresh set per test, plus a result
 * backend that remembers every status written (so a test can check the sequence) and
 * a `startWorker` that closes everything it started when the test ends.
 */
import {
  InMemoryBroker,
  InMemoryEventBus,
  InMemoryResultBackend,
  InMemoryRevocationStore,
  type ResultRecord,
  type SetResultOptions,
  Stem,
  type StemEvent,
  type TaskDefinition,
  type TaskStatus,
} from '@stem/core';
import { Worker, type WorkerOptions } from '@stem/worker';
import { afterEach } from 'vitest';

/** Remembers every status written per task, in order. */
export class RecordingResultBackend extends InMemoryResultBackend {
  readonly statuses = new Map<string, TaskStatus[]>();
  override async set(record: ResultRecord, options?: SetResultOptions): Promise<void> {
    await super.set(record, options);
    const seen = this.statuses.get(record.taskId) ?? [];
    seen.push(record.status);
    this.statuses.set(record.taskId, seen);
  }
}

export interface InMemoryStack {
  broker: InMemoryBroker;
  resultBackend: RecordingResultBackend;
  eventBus: InMemoryEventBus;
  revocationStore: InMemoryRevocationStore;
  stem: Stem;
  /** Lifecycle events seen on the bus, in order. */
  events: StemEvent[];
  /** Lifecycle event types (`task.*` but revoke requests) emitted for one task, in order. */
  taskEventTypes(taskId: string): string[];
  /** Whatever workers reported through `onError` (tests expect none). */
  workerErrors: unknown[];
  startWorker(
    tasks: Iterable<TaskDefinition>,
    options?: Partial<Omit<WorkerOptions, 'tasks'>>,
  ): Promise<Worker>;
}

const openStacks: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const close of openStacks.splice(0).reverse()) await close();
});

export async function createInMemoryStack(): Promise<InMemoryStack> {
  const broker = new InMemoryBroker();
  const resultBackend = new RecordingResultBackend();
  const eventBus = new InMemoryEventBus();
  const revocationStore = new InMemoryRevocationStore();
  const stem = new Stem({ broker, resultBackend, eventBus, revocationStore });
  const events: StemEvent[] = [];
  const workerErrors: unknown[] = [];
  // Task lifecycle events only: heartbeats arrive on their own schedule.
  await eventBus.subscribe((event) => {
    if (event.type.startsWith('task.')) events.push(event);
  });
  const workers: Worker[] = [];
  openStacks.push(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await Promise.all([
      broker.close(),
      resultBackend.close(),
      eventBus.close(),
      revocationStore.close(),
    ]);
  });
  return {
    broker,
    resultBackend,
    eventBus,
    revocationStore,
    stem,
    events,
    workerErrors,
    taskEventTypes: (taskId) =>
      events
        .filter((event) => 'taskId' in event && event.taskId === taskId)
        .filter((event) => event.type !== 'task.revoke-requested')
        .map((event) => event.type),
    async startWorker(tasks, options = {}) {
      const worker = new Worker({
        broker,
        resultBackend,
        eventBus,
        revocationStore,
        shutdownGraceMs: 5_000,
        onError: (error) => void workerErrors.push(error),
        ...options,
        tasks,
      });
      workers.push(worker);
      await worker.start();
      return worker;
    },
  };
}
