// A worker process SIGKILLed while its tasks run: nothing it held was settled, so after
// the lease a second worker process receives every message again (delivery count 2),
// runs it to SUCCESS and acks it once. The ledger shows nothing lost and no duplicate.
import { checkLedger, eventually, formatLedgerReport } from '@stem/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  countByTask,
  printedDeliveries,
  printedSettlements,
  WORKER_BOOT_MS,
  XprocRun,
} from './support/xproc-run';
import { SLEEP_TASK } from './support/xproc-tasks';

const TASKS = 4;
const LEASE_MS = 800;
const TASK_MS = 2_500;

let run: XprocRun | undefined;

afterEach(async () => {
  await run?.close();
  run = undefined;
});

describe('a worker process SIGKILLed mid-task', () => {
  it('has its tasks redelivered after the lease and run to SUCCESS by another process', async () => {
    run = await XprocRun.start();
    const settings = { STEM_TEST_LEASE_MS: String(LEASE_MS), STEM_TEST_LOG_SETTLEMENTS: '1' };
    const victim = await run.spawnWorker('worker-1', settings);
    const ids = await run.enqueueMany(
      Array.from({ length: TASKS }, () => ({ task: SLEEP_TASK, args: { ms: TASK_MS } })),
    );
    await eventually(
      'worker-1 to start every task',
      () => countByTask(run?.ledger() ?? [], 'started').size === TASKS,
      WORKER_BOOT_MS,
    );
    // Past the first leases the messages are still held, not ready: kept alive while
    // the victim lives.
    const firstLeaseEnd = Math.max(...printedDeliveries(victim).map((d) => d.leaseExpiresAt));
    await eventually('the first leases to pass', () => Date.now() > firstLeaseEnd + 150);
    expect(await run.client.broker.stats('default')).toMatchObject({ ready: 0, inFlight: TASKS });
    await run.driver.sigkill('worker-1');
    expect(victim.exit?.signal).toBe('SIGKILL');
    expect(countByTask(run.ledger(), 'done').size).toBe(0);
    const rescuer = await run.spawnWorker('worker-2', settings);

    const records = await Promise.all(
      ids.map((id) => run?.client.resultBackend.waitFor(id, { timeoutMs: 15_000 })),
    );
    await eventually(
      'worker-2 to ack every task',
      () => printedSettlements(rescuer, 'ack').length === TASKS,
    );
    for (const record of records) {
      expect(record?.status).toBe('SUCCESS');
      expect(record?.payload).toEqual({ slept: TASK_MS, pid: rescuer.pid });
    }
    // The victim settled nothing; the rescuer got each message as a second delivery.
    expect(victim.output()).not.toMatch(/^settled /m);
    const first = printedDeliveries(victim);
    expect(first.map((delivery) => delivery.deliveryCount)).toEqual(ids.map(() => 1));
    const second = printedDeliveries(rescuer);
    expect(second.map((delivery) => delivery.taskId).sort()).toEqual([...ids].sort());
    for (const delivery of second) expect(delivery.deliveryCount).toBe(2);
    expect(printedSettlements(rescuer, 'ack').sort()).toEqual([...ids].sort());

    const entries = run.ledger();
    const started = countByTask(entries, 'started');
    const done = countByTask(entries, 'done');
    for (const id of ids) {
      expect(started.get(id), `starts of ${id}`).toBe(2);
      expect(done.get(id), `completions of ${id}`).toBe(1);
    }
    const report = checkLedger(entries);
    expect(report.ok, formatLedgerReport(report)).toBe(true);
    expect(report.lost).toEqual([]);
    expect(report.duplicates).toEqual([]);
    expect(report.restarted).toBe(TASKS);
    expect(await run.client.broker.stats('default')).toEqual({
      queue: 'default',
      ready: 0,
      delayed: 0,
      inFlight: 0,
      dead: 0,
    });
  }, 40_000);
});
