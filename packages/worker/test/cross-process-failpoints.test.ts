// A worker process killed exactly at each settlement failpoint (STEM_FAILPOINTS
// `<name>=kill@1`), then a healthy worker in the test process: each case checks the
// outcome docs/concepts/worker.md states for that point. In every case the killed
// process settled nothing (the healthy worker gets the message as a second delivery),
// the task ends as the table says, and every ack comes after the handler's `done` line.
import type { CreateEnvelopeInput, Envelope, ResultRecord } from '@stem/core';
import {
  checkLedger,
  eventually,
  formatLedgerReport,
  isTaskEntry,
  type LedgerEntry,
  type ManagedProcess,
  type RecordingBroker,
} from '@stem/testing';
import type { Worker } from '@stem/worker';
import { afterEach, describe, expect, it } from 'vitest';
import { countByTask, startedAttempts, XprocRun } from './support/xproc-run';
import { FAIL_UNTIL_TASK, SLEEP_TASK } from './support/xproc-tasks';

const LEASE_MS = 500;

let run: XprocRun | undefined;

afterEach(async () => {
  await run?.close();
  run = undefined;
});

interface CrashOutcome {
  envelope: Envelope;
  crasher: ManagedProcess;
  /** The task's result record right after the crash, before the healthy worker ran. */
  recordAfterCrash: ResultRecord | undefined;
  /** The healthy worker's view of the broker. */
  recording: RecordingBroker;
  worker: Worker;
  /** The final result record. */
  record: ResultRecord | undefined;
  entries: LedgerEntry[];
  workerErrors: unknown[];
}

/**
 * Runs `input` on a worker process that SIGKILLs itself at the first hit of `point`,
 * then on a healthy worker until the message is settled for good (ack or dead letter).
 */
async function crashAt(point: string, input: CreateEnvelopeInput): Promise<CrashOutcome> {
  run = await XprocRun.start();
  const current = run;
  const crasher = await current.spawnWorker('crasher', {
    STEM_FAILPOINTS: `${point}=kill@1`,
    STEM_TEST_LEASE_MS: String(LEASE_MS),
    STEM_TEST_LOG_SETTLEMENTS: '1',
  });
  const envelope = await current.enqueue(input);
  await eventually(`the crasher to die at ${point}`, () => !crasher.running, 10_000);
  expect(crasher.exit?.signal).toBe('SIGKILL');
  expect(crasher.output()).toContain(`stem failpoint ${point} fired: kill (hit 1)`);
  const recordAfterCrash = await current.client.resultBackend.get(envelope.id);

  const healthy = await current.startInProcessWorker('healthy', { leaseMs: LEASE_MS });
  const { worker, recording, errors } = healthy;
  await eventually(
    'the healthy worker to settle the message for good',
    () =>
      recording
        .settlementsOf(envelope.id)
        .some((settlement) => settlement.kind === 'ack' || settlement.kind === 'deadLetter'),
    10_000,
  );
  await healthy.close();
  return {
    envelope,
    crasher,
    recordAfterCrash,
    recording,
    worker,
    record: await current.client.resultBackend.get(envelope.id),
    entries: current.ledger(),
    workerErrors: errors,
  };
}

/** What holds at every failpoint: the crasher settled nothing, acks follow a `done`. */
async function expectNothingAckedUnfinished(outcome: CrashOutcome): Promise<void> {
  const { envelope, crasher, recording, entries } = outcome;
  expect(crasher.output()).not.toMatch(/^settled /m);
  expect(recording.deliveriesOf(envelope.id)[0]?.deliveryCount).toBe(2);
  const doneAt = entries.flatMap((entry) =>
    isTaskEntry(entry) && entry.event === 'done' && entry.taskId === envelope.id ? [entry.at] : [],
  );
  for (const settlement of recording.settlementsOf(envelope.id)) {
    if (settlement.kind !== 'ack') continue;
    expect(doneAt.some((at) => at <= settlement.requestedAt)).toBe(true);
  }
  expect(outcome.workerErrors).toEqual([]);
  const stats = await run?.client.broker.stats('default');
  expect(stats).toMatchObject({ ready: 0, delayed: 0, inFlight: 0 });
}

function expectLedgerOk(entries: LedgerEntry[], duplicates: number): void {
  const report = checkLedger(entries);
  expect(report.ok, formatLedgerReport(report)).toBe(true);
  expect(report.lost).toEqual([]);
  expect(report.duplicates).toHaveLength(duplicates);
}

function runsOf(outcome: CrashOutcome): number {
  return countByTask(outcome.entries, 'started').get(outcome.envelope.id) ?? 0;
}

function settlementKinds(outcome: CrashOutcome): string[] {
  return outcome.recording.settlementsOf(outcome.envelope.id).map((settlement) => settlement.kind);
}

const sleepInput: CreateEnvelopeInput = { task: SLEEP_TASK, args: { ms: 50 } };

describe('a worker process killed at a settlement failpoint', () => {
  it('worker.after-reserve: never started; the next worker runs it once', async () => {
    const outcome = await crashAt('worker.after-reserve', sleepInput);
    expect(outcome.recordAfterCrash).toBeUndefined();
    expect(runsOf(outcome)).toBe(1);
    expect(outcome.record).toMatchObject({ status: 'SUCCESS', payload: { slept: 50 } });
    expect(settlementKinds(outcome)).toEqual(['ack']);
    await expectNothingAckedUnfinished(outcome);
    expectLedgerOk(outcome.entries, 0);
  }, 30_000);

  it('worker.after-handler-before-result: nothing recorded; the handler runs twice', async () => {
    const outcome = await crashAt('worker.after-handler-before-result', sleepInput);
    expect(outcome.recordAfterCrash?.status).toBe('STARTED');
    expect(runsOf(outcome)).toBe(2);
    expect(outcome.record).toMatchObject({
      status: 'SUCCESS',
      payload: { slept: 50, pid: process.pid },
    });
    expect(settlementKinds(outcome)).toEqual(['ack']);
    await expectNothingAckedUnfinished(outcome);
    // The crasher's `done` and the healthy one: a duplicate its crash explains.
    expectLedgerOk(outcome.entries, 1);
  }, 30_000);

  it('worker.after-result-before-ack: SUCCESS kept; without a key the handler runs twice', async () => {
    const outcome = await crashAt('worker.after-result-before-ack', sleepInput);
    expect(outcome.recordAfterCrash?.status).toBe('SUCCESS');
    expect(outcome.recordAfterCrash?.payload).toEqual({ slept: 50, pid: outcome.crasher.pid });
    expect(runsOf(outcome)).toBe(2);
    expect(outcome.record).toMatchObject({
      status: 'SUCCESS',
      payload: { slept: 50, pid: process.pid },
    });
    expect(settlementKinds(outcome)).toEqual(['ack']);
    await expectNothingAckedUnfinished(outcome);
    expectLedgerOk(outcome.entries, 1);
  }, 30_000);

  it('worker.after-result-before-ack: with an idempotency key the handler runs once', async () => {
    const outcome = await crashAt('worker.after-result-before-ack', {
      ...sleepInput,
      idempotencyKey: 'xproc-order-1',
    });
    expect(outcome.recordAfterCrash?.status).toBe('SUCCESS');
    expect(runsOf(outcome)).toBe(1);
    expect(outcome.worker.outcomes.get('deduplicated')).toBe(1);
    expect(outcome.worker.outcomes.get('succeeded')).toBeUndefined();
    expect(outcome.record).toMatchObject({
      status: 'SUCCESS',
      payload: { slept: 50, pid: outcome.crasher.pid },
      meta: { note: 'idempotency key seen before' },
    });
    expect(settlementKinds(outcome)).toEqual(['ack']);
    await expectNothingAckedUnfinished(outcome);
    expectLedgerOk(outcome.entries, 0);
  }, 30_000);

  it('worker.during-retry-publish: the attempt is repeated, then the retry succeeds', async () => {
    const outcome = await crashAt('worker.during-retry-publish', {
      task: FAIL_UNTIL_TASK,
      args: { succeedOnAttempt: 2 },
      maxRetries: 1,
    });
    expect(outcome.recordAfterCrash?.status).toBe('RETRY');
    // Attempt 1 ran in the crasher and again in the healthy worker; then attempt 2.
    expect(startedAttempts(outcome.entries, outcome.envelope.id)).toEqual([1, 1, 2]);
    const deliveries = outcome.recording.deliveriesOf(outcome.envelope.id);
    expect(deliveries.map((d) => [d.attempt, d.deliveryCount])).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(settlementKinds(outcome)).toEqual(['nack', 'ack']);
    expect(outcome.record).toMatchObject({
      status: 'SUCCESS',
      payload: { attempt: 2 },
      meta: { attempt: 2 },
    });
    await expectNothingAckedUnfinished(outcome);
    expectLedgerOk(outcome.entries, 0);
  }, 30_000);

  it('worker.during-retry-publish: the retry limit still holds for a task that always fails', async () => {
    const outcome = await crashAt('worker.during-retry-publish', {
      task: FAIL_UNTIL_TASK,
      args: { succeedOnAttempt: 99 },
      maxRetries: 1,
    });
    expect(outcome.recordAfterCrash?.status).toBe('RETRY');
    // One retry allowed: attempt 2 is the last, although attempt 1 ran twice.
    expect(startedAttempts(outcome.entries, outcome.envelope.id)).toEqual([1, 1, 2]);
    expect(settlementKinds(outcome)).toEqual(['nack', 'deadLetter']);
    expect(outcome.record).toMatchObject({ status: 'FAILURE', meta: { attempt: 2 } });
    expect(outcome.record?.error?.message).toBe('planned failure on attempt 2');
    await expectNothingAckedUnfinished(outcome);
    expect(await run?.client.broker.stats('default')).toMatchObject({ dead: 1 });
    // A failed task is never done: the checker rightly counts it as not completed.
    expect(countByTask(outcome.entries, 'done').get(outcome.envelope.id)).toBeUndefined();
  }, 30_000);
});
