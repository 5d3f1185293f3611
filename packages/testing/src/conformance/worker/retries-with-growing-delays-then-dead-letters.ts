import assert from 'node:assert/strict';
import { defineTask } from '@stem/core';
import {
  assertNoWorkerErrors,
  WORKER_PATIENCE_MS,
  type WorkerCase,
  waitForQueueStats,
} from './worker-case-context';

class CardDeclinedError extends Error {}

/** Delays before retries 1, 2 and 3 under the policy below (jitter none). */
const EXPECTED_DELAYS_MS = [100, 200, 400];

export const retriesWithGrowingDelaysThenDeadLetters: WorkerCase = {
  name: 'retries-with-growing-delays-then-dead-letters',
  promise:
    'a task failing every time is retried maxRetries times, each retry no sooner than its growing backoff delay, then recorded as FAILURE and dead-lettered once',
  async run(context) {
    const connection = await context.connect();
    const queue = context.queue();
    const startedAt: number[] = [];
    const attempts: number[] = [];
    const charge = defineTask({
      name: 'conformance.charge',
      retry: { maxRetries: 3, initialDelayMs: 100, multiplier: 2, jitter: 'none' },
      run: (_args: { orderId: string }, task) => {
        startedAt.push(Date.now());
        attempts.push(task.attempt);
        throw new CardDeclinedError(`declined on attempt ${task.attempt}`);
      },
    });
    await context.startWorker(connection, { tasks: [charge], queue });
    const result = await connection.stem.enqueue(charge, { orderId: 'o-1' }, { queue });

    await assert.rejects(result.get({ timeoutMs: WORKER_PATIENCE_MS }), { code: 'TASK_FAILED' });
    await waitForQueueStats(
      connection.broker,
      queue,
      { ready: 0, delayed: 0, inFlight: 0, dead: 1 },
      'the message to be dead-lettered',
    );

    assert.deepEqual(attempts, [1, 2, 3, 4]);
    EXPECTED_DELAYS_MS.forEach((delayMs, index) => {
      const gapMs = startedAt[index + 1]! - startedAt[index]!;
      assert.ok(
        gapMs >= delayMs,
        `attempt ${index + 2} started ${gapMs} ms after attempt ${index + 1}, before its ${delayMs} ms delay`,
      );
    });
    assert.deepEqual(connection.resultBackend.statusesOf(result.id), [
      'STARTED',
      'RETRY',
      'STARTED',
      'RETRY',
      'STARTED',
      'RETRY',
      'STARTED',
      'FAILURE',
    ]);
    const retries = connection.resultBackend
      .writesOf(result.id)
      .filter((write) => write.record.status === 'RETRY');
    assert.deepEqual(
      retries.map((write) => write.record.error?.message),
      ['declined on attempt 1', 'declined on attempt 2', 'declined on attempt 3'],
    );

    const record = await result.record();
    assert.equal(record?.status, 'FAILURE');
    assert.equal(record?.meta.attempt, 4);
    assert.equal(record?.error?.type, 'CardDeclinedError');
    assert.equal(record?.error?.message, 'declined on attempt 4');
    assert.equal(record?.error?.retryable, true);
    assert.ok(record?.error?.stack?.includes('declined on attempt 4'), 'the stack was not kept');

    const { entries } = await connection.broker.listDeadLetters({ queue });
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.envelope.id, result.id);
    assert.equal(entries[0]!.envelope.attempt, 4);
    assert.equal(entries[0]!.reason.code, 'TASK_FAILED');
    assert.equal(entries[0]!.reason.message, 'declined on attempt 4');
    assert.equal(entries[0]!.reason.error?.type, 'CardDeclinedError');
    assert.deepEqual(
      connection.broker.settlementsOf(result.id).map((settlement) => settlement.kind),
      ['nack', 'nack', 'nack', 'deadLetter'],
    );
    assertNoWorkerErrors(context);
  },
};
