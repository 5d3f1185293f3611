/**
 * Plumbing of the cross-process worker tests: a run directory with its ledger, a memory
 * host in the test process, worker processes started through a FaultDriver (so kills and
 * crashes land in the ledger), a producer that writes `enqueued` after each publish, and
 * counts read back from the ledger and from the fixture's printed settlements.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CreateEnvelopeInput, createEnvelope, type Envelope } from '@stem/core';
import {
  connectMemoryHost,
  FaultDriver,
  isTaskEntry,
  type LedgerEntry,
  type LedgerTaskEvent,
  LedgerWriter,
  type ManagedProcess,
  MemoryAdapterHost,
  type MemoryHostAdapters,
  RecordingBroker,
  readLedger,
} from '@stem/testing';
import { Worker, type WorkerOptions } from '@stem/worker';
import { createXprocTasks } from './xproc-tasks';

const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));
const workerFixture = fileURLToPath(
  new URL('../fixtures/xproc-worker-process.ts', import.meta.url),
);

/** How long a worker process may take to boot (tsx compiles the sources), ms. */
export const WORKER_BOOT_MS = 20_000;

export interface XprocRunOptions {
  /** Seed of the fault driver. @default a fixed 1 (runs without scheduled faults) */
  seed?: number;
  log?: (line: string) => void;
}

/** A worker running in the test process, and what it did with the broker. */
export interface InProcessWorker {
  worker: Worker;
  recording: RecordingBroker;
  /** What the worker reported through `onError` (tests expect none). */
  errors: unknown[];
  /** Closes the worker (graceful) and its ledger file; idempotent. */
  close(): Promise<void>;
}

/** One test's world: host, producer connection, ledger, driver. `close` ends it all. */
export class XprocRun {
  readonly directory: string;
  readonly ledgerDirectory: string;
  readonly host: MemoryAdapterHost;
  readonly client: MemoryHostAdapters;
  readonly producer: LedgerWriter;
  readonly driver: FaultDriver;
  readonly #workers: InProcessWorker[] = [];

  private constructor(
    directory: string,
    host: MemoryAdapterHost,
    client: MemoryHostAdapters,
    driver: FaultDriver,
  ) {
    this.directory = directory;
    this.ledgerDirectory = join(directory, 'ledger');
    this.host = host;
    this.client = client;
    this.driver = driver;
    this.producer = new LedgerWriter({ directory: this.ledgerDirectory, processName: 'producer' });
  }

  static async start(options: XprocRunOptions = {}): Promise<XprocRun> {
    const directory = mkdtempSync(join(tmpdir(), 'zz-xproc-'));
    const host = await MemoryAdapterHost.start({ socketPath: join(directory, 'host.sock') });
    const client = await connectMemoryHost(host.socketPath);
    const driver = new FaultDriver({
      seed: options.seed ?? 1,
      ledgerDirectory: join(directory, 'ledger'),
      cwd: repoRoot,
      ...(options.log === undefined ? {} : { log: options.log }),
    });
    return new XprocRun(directory, host, client, driver);
  }

  /**
   * Starts the worker fixture as managed process `name` and waits for its ready line.
   * `env` adds or overrides fixture settings (STEM_FAILPOINTS, STEM_TEST_LEASE_MS…).
   */
  async spawnWorker(
    name: string,
    env: Readonly<Record<string, string>> = {},
    waitReady = true,
  ): Promise<ManagedProcess> {
    const managed = await this.driver.spawnManaged(
      name,
      process.execPath,
      ['--import', 'tsx', workerFixture],
      {
        TSX_TSCONFIG_PATH: join(repoRoot, 'tsconfig.base.json'),
        STEM_TEST_HOST_SOCKET: this.host.socketPath,
        STEM_TEST_LEDGER_DIR: this.ledgerDirectory,
        STEM_TEST_PROCESS_NAME: name,
        ...env,
      },
    );
    if (!waitReady) return managed;
    try {
      await managed.waitForOutput(/^ready \d+$/m, WORKER_BOOT_MS);
    } catch (error) {
      throw new Error(`${String(error)}\n--- output of ${name} ---\n${managed.output()}`);
    }
    return managed;
  }

  /** Publishes one envelope, then writes its `enqueued` line. */
  async enqueue(input: CreateEnvelopeInput): Promise<Envelope> {
    const envelope = createEnvelope(input);
    await this.client.broker.publish(envelope);
    this.producer.enqueued(envelope.id);
    return envelope;
  }

  /** Publishes `inputs` with up to `parallel` publishes in flight; ids in input order. */
  async enqueueMany(inputs: readonly CreateEnvelopeInput[], parallel = 50): Promise<string[]> {
    const ids: string[] = new Array(inputs.length);
    let next = 0;
    const lane = async () => {
      while (next < inputs.length) {
        const index = next;
        next += 1;
        ids[index] = (await this.enqueue(inputs[index] as CreateEnvelopeInput)).id;
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, inputs.length) }, lane));
    return ids;
  }

  /**
   * Starts a Worker in the test process on this run's host, with the xproc tasks writing
   * to the ledger as `name`, behind a RecordingBroker. Closed by `close` if still running.
   */
  async startInProcessWorker(
    name: string,
    options: Partial<Omit<WorkerOptions, 'broker' | 'tasks'>> = {},
  ): Promise<InProcessWorker> {
    const recording = new RecordingBroker(this.client.broker);
    const errors: unknown[] = [];
    const ledger = new LedgerWriter({ directory: this.ledgerDirectory, processName: name });
    const worker = new Worker({
      resultBackend: this.client.resultBackend,
      revocationStore: this.client.revocationStore,
      eventBus: this.client.eventBus,
      pool: 'inline',
      shutdownGraceMs: 1_000,
      onError: (error) => void errors.push(error),
      ...options,
      broker: recording,
      tasks: createXprocTasks(ledger),
    });
    const started: InProcessWorker = {
      worker,
      recording,
      errors,
      close: async () => {
        await worker.close();
        ledger.close();
      },
    };
    this.#workers.push(started);
    await worker.start();
    return started;
  }

  ledger(): LedgerEntry[] {
    return readLedger(this.ledgerDirectory);
  }

  /** Kills every child, closes the connection and the host, removes the run directory. */
  async close(): Promise<void> {
    try {
      await Promise.all(this.#workers.splice(0).map((started) => started.close()));
      await this.driver.stopAll();
    } finally {
      this.producer.close();
      await this.client.close().catch(() => undefined);
      await this.host.close();
      rmSync(this.directory, { recursive: true, force: true });
    }
  }
}

/** How many `event` lines each task has in `entries`. */
export function countByTask(
  entries: readonly LedgerEntry[],
  event: LedgerTaskEvent,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of entries) {
    if (isTaskEntry(entry) && entry.event === event) {
      counts.set(entry.taskId, (counts.get(entry.taskId) ?? 0) + 1);
    }
  }
  return counts;
}

/** Attempts of a task's `started` lines, in time order. */
export function startedAttempts(entries: readonly LedgerEntry[], taskId: string): number[] {
  return entries.flatMap((entry) =>
    isTaskEntry(entry) && entry.event === 'started' && entry.taskId === taskId
      ? [entry.attempt ?? 0]
      : [],
  );
}

/** Task ids of the `settled <kind> <taskId>` lines `child` printed, in order. */
export function printedSettlements(child: ManagedProcess, kind: string): string[] {
  const prefix = `settled ${kind} `;
  return child
    .output()
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length));
}

/** A delivery the fixture printed (`received …`). */
export interface PrintedDelivery {
  taskId: string;
  deliveryCount: number;
  leaseExpiresAt: number;
  receivedAt: number;
}

/** Deliveries `child` printed, in order. */
export function printedDeliveries(child: ManagedProcess): PrintedDelivery[] {
  return child
    .output()
    .split('\n')
    .filter((line) => line.startsWith('received '))
    .map((line) => {
      const [, taskId = '', count, leaseExpiresAt, receivedAt] = line.split(' ');
      return {
        taskId,
        deliveryCount: Number(count),
        leaseExpiresAt: Number(leaseExpiresAt),
        receivedAt: Number(receivedAt),
      };
    });
}
