// A worker process paused (SIGSTOP) past its lease while a task runs: another worker takes
// the message over. When the paused one resumes, its lease extension is refused and its
// task aborted; it must then record nothing, since the task is no longer its own. A
// client waiting for the result sees the new holder's SUCCESS, never a FAILURE from the
// worker that lost the lease.
import { checkLedger, eventually, formatLedgerReport } from '@stem/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { countByTask, printedSettlements, XprocRun } from './support/xproc-run';
import { SLEEP_TASK } from './support/xproc-tasks';

const LEASE_MS = 500;
const TASK_MS = 3_000;
const PAUSE_MS = 1_500;

let run: XprocRun | undefined;

afterEach(async () => {
  await run?.close();
  run = undefined;
});

describe('a worker process paused past its lease', () => {
  it('records nothing for the task it lost; the new holder’s SUCCESS is the result', async () => {
    run = await XprocRun.start();
    const current = run;
    const paused = await current.spawnWorker('worker-1', {
      STEM_TEST_LEASE_MS: String(LEASE_MS),
      STEM_TEST_LOG_SETTLEMENTS: '1',
    });
    const { id } = await current.enqueue({ task: SLEEP_TASK, args: { ms: TASK_MS } });
    await eventually('worker-1 to start the task', () =>
      countByTask(current.ledger(), 'started').has(id),
    );
    const pause = current.driver.sigstop('worker-1', PAUSE_MS);
    const takeover = await current.startInProcessWorker('worker-2', { leaseMs: LEASE_MS });
    // The first terminal record a waiting client gets.
    const firstTerminal = current.client.resultBackend.waitFor(id, { timeoutMs: 15_000 });
    await pause;

    const record = await firstTerminal;
    expect(record.status, JSON.stringify(record)).toBe('SUCCESS');
    expect(record.payload).toEqual({ slept: TASK_MS, pid: process.pid });
    await eventually('worker-2 to ack', () => takeover.recording.settlementsOf(id).length === 1);
    expect(takeover.recording.settlementsOf(id).map((s) => s.kind)).toEqual(['ack']);
    // 2, or 3 when the host first handed the expired message back to the stopped process.
    expect(takeover.recording.deliveriesOf(id)[0]?.deliveryCount).toBeGreaterThanOrEqual(2);
    expect(printedSettlements(paused, 'ack')).toEqual([]);
    expect(printedSettlements(paused, 'deadLetter')).toEqual([]);
    expect((await current.client.resultBackend.get(id))?.status).toBe('SUCCESS');

    const report = checkLedger(current.ledger());
    expect(report.ok, formatLedgerReport(report)).toBe(true);
    expect(report.duplicates).toEqual([]);
  }, 30_000);
});
