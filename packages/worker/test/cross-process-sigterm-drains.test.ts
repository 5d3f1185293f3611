// SIGTERM to a worker process (closeOnSignals): tasks that finish within the grace period
// are acked once with SUCCESS; the rest are aborted and their messages handed back,
// uncounted, for a fresh worker to run; the exit code says whether it drained (0) or the
// grace ran out (3). Acks per task are counted from the settlements each process printed.
import {
  checkLedger,
  eventually,
  formatLedgerReport,
  isTaskEntry,
  type ManagedProcess,
} from '@stem/testing';
import { WORKER_EXIT_CODES } from '@stem/worker';
import { afterEach, describe, expect, it } from 'vitest';
import { countByTask, printedSettlements, XprocRun } from './support/xproc-run';
import { SLEEP_TASK } from './support/xproc-tasks';

const GRACE_MS = 2_000;
const SHORT_MS = 500;
const LONG_MS = 5_000;

let run: XprocRun | undefined;

afterEach(async () => {
  await run?.close();
  run = undefined;
});

const workerEnv = {
  STEM_TEST_CONCURRENCY: '10',
  STEM_TEST_GRACE_MS: String(GRACE_MS),
  STEM_TEST_LEASE_MS: '1000',
  STEM_TEST_LOG_SETTLEMENTS: '1',
};

/** Enqueues sleep tasks of the given lengths on a fresh worker process and waits for all to start. */
async function workerRunning(lengthsMs: readonly number[]): Promise<{
  current: XprocRun;
  worker: ManagedProcess;
  ids: string[];
}> {
  run = await XprocRun.start();
  const current = run;
  const worker = await current.spawnWorker('worker-1', workerEnv);
  const ids = await current.enqueueMany(
    lengthsMs.map((ms) => ({ task: SLEEP_TASK, args: { ms } })),
  );
  await eventually(
    'every task to start',
    () => countByTask(current.ledger(), 'started').size === ids.length,
    10_000,
  );
  return { current, worker, ids };
}

/** SIGTERMs `worker` and resolves with its exit once it is gone. */
async function terminate(worker: ManagedProcess) {
  const sentAt = Date.now();
  worker.signal('SIGTERM', { expectExit: true });
  await eventually('the worker to exit', () => !worker.running, GRACE_MS + 8_000);
  return { exit: worker.exit, sentAt };
}

function countOf(ids: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

describe('a worker process receiving SIGTERM', () => {
  it('acks what finishes in the grace period, hands back the rest and exits 3', async () => {
    // Short and long tasks interleaved, all ten running at once.
    const lengths = Array.from({ length: 10 }, (_, index) =>
      index % 2 === 0 ? SHORT_MS : LONG_MS,
    );
    const { current, worker, ids } = await workerRunning(lengths);
    const short = ids.filter((_, index) => lengths[index] === SHORT_MS);
    const long = ids.filter((_, index) => lengths[index] === LONG_MS);

    const { exit, sentAt } = await terminate(worker);
    expect(exit, worker.output()).toMatchObject({
      code: WORKER_EXIT_CODES.graceExpired,
      signal: null,
    });
    // It waited out the grace period before giving up on the long tasks.
    expect((exit?.at ?? 0) - sentAt).toBeGreaterThanOrEqual(GRACE_MS - 50);

    const acked = countOf(printedSettlements(worker, 'ack'));
    const released = countOf(printedSettlements(worker, 'release'));
    expect([...acked.keys()].sort()).toEqual([...short].sort());
    expect([...acked.values()].every((count) => count === 1)).toBe(true);
    expect([...released.keys()].sort()).toEqual([...long].sort());
    expect([...released.values()].every((count) => count === 1)).toBe(true);
    expect(printedSettlements(worker, 'nack')).toEqual([]);
    for (const id of short) {
      expect(await current.client.resultBackend.get(id)).toMatchObject({
        status: 'SUCCESS',
        payload: { slept: SHORT_MS, pid: worker.pid },
      });
    }
    for (const id of long) {
      expect((await current.client.resultBackend.get(id))?.status).toBe('STARTED');
    }
    // The long tasks' messages are back on the queue, ready at once.
    expect(await current.client.broker.stats('default')).toMatchObject({
      ready: long.length,
      delayed: 0,
      inFlight: 0,
      dead: 0,
    });
    expect(countByTask(current.ledger(), 'done').size).toBe(short.length);

    const fresh = await current.startInProcessWorker('worker-2', { leaseMs: 1_000 });
    const records = await Promise.all(
      long.map((id) => current.client.resultBackend.waitFor(id, { timeoutMs: 15_000 })),
    );
    for (const record of records) {
      expect(record).toMatchObject({ status: 'SUCCESS', payload: { slept: LONG_MS } });
    }
    // Only the handed-back messages came again, and a release did not count a delivery.
    const received = fresh.recording.deliveries;
    expect(received.map((delivery) => delivery.taskId).sort()).toEqual([...long].sort());
    expect(received.every((delivery) => delivery.deliveryCount === 1)).toBe(true);
    await eventually(
      'the fresh worker to ack them',
      () => fresh.recording.settlements.length === long.length,
    );
    expect(fresh.recording.settlements.map((settlement) => settlement.kind)).toEqual(
      long.map(() => 'ack'),
    );
    expect(fresh.errors).toEqual([]);

    const entries = current.ledger();
    const done = countByTask(entries, 'done');
    for (const id of ids) expect(done.get(id), `completions of ${id}`).toBe(1);
    const report = checkLedger(entries);
    expect(report.ok, formatLedgerReport(report)).toBe(true);
    expect(report.duplicates).toEqual([]);
  }, 40_000);

  it('exits 0 when every running task finishes within the grace period', async () => {
    // A second long: the signal surely arrives while all five still run.
    const lengths = Array.from({ length: 5 }, () => 1_000);
    const { current, worker, ids } = await workerRunning(lengths);

    const { exit, sentAt } = await terminate(worker);
    expect(exit, worker.output()).toMatchObject({
      code: WORKER_EXIT_CODES.drained,
      signal: null,
    });
    const doneAt = current
      .ledger()
      .flatMap((entry) => (isTaskEntry(entry) && entry.event === 'done' ? [entry.at] : []));
    expect(doneAt).toHaveLength(ids.length);
    for (const at of doneAt) expect(at).toBeGreaterThan(sentAt);
    const acked = printedSettlements(worker, 'ack');
    expect([...acked].sort()).toEqual([...ids].sort());
    expect(printedSettlements(worker, 'release')).toEqual([]);
    for (const id of ids) {
      expect((await current.client.resultBackend.get(id))?.status).toBe('SUCCESS');
    }
    expect(await current.client.broker.stats('default')).toMatchObject({
      ready: 0,
      delayed: 0,
      inFlight: 0,
      dead: 0,
    });
    const report = checkLedger(current.ledger());
    expect(report.ok, formatLedgerReport(report)).toBe(true);
    expect(report.duplicates).toEqual([]);
  }, 30_000);
});
