import assert from 'node:assert/strict';
import { defineTask } from '@stem/core';
import { eventually } from '../conformance-case';
import {
  assertNoWorkerErrors,
  WORKER_PATIENCE_MS,
  type WorkerCase,
  waitForQueueStats,
} from './worker-case-context';

export const revokeTerminateAbortsRunningTask: WorkerCase = {
  name: 'revoke-terminate-aborts-running-task',
  promise:
    'revoking a running task with terminate fires its signal with TASK_REVOKED; it ends REVOKED with the reason and its message is acked, not retried',
  async run(context) {
    const connection = await context.connect();
    const queue = context.queue();
    let runs = 0;
    let abortCode: unknown;
    const longExport = defineTask({
      name: 'conformance.long-export',
      retry: { maxRetries: 3, initialDelayMs: 10 },
      run: (_args: null, task) => {
        runs += 1;
        return new Promise<never>((_resolve, reject) => {
          task.signal.addEventListener('abort', () => {
            abortCode = (task.signal.reason as { code?: unknown }).code;
            reject(task.signal.reason);
          });
        });
      },
    });
    await context.startWorker(connection, { tasks: [longExport], queue });
    const result = await connection.stem.enqueue(longExport, null, { queue });
    await eventually(
      'the task to start',
      async () => (await result.status()) === 'STARTED',
      WORKER_PATIENCE_MS,
    );

    await connection.stem.revoke(result.id, { terminate: true, reason: 'customer cancelled' });
    await assert.rejects(result.get({ timeoutMs: WORKER_PATIENCE_MS }), { code: 'TASK_REVOKED' });
    assert.equal(abortCode, 'TASK_REVOKED', 'the signal did not fire with TASK_REVOKED');
    const record = await result.record();
    assert.equal(record?.status, 'REVOKED');
    assert.equal(record?.meta.note, 'customer cancelled');
    await waitForQueueStats(
      connection.broker,
      queue,
      { ready: 0, delayed: 0, inFlight: 0, dead: 0 },
      'the message to be acked',
    );
    assert.deepEqual(
      connection.broker.settlementsOf(result.id).map((settlement) => settlement.kind),
      ['ack'],
    );
    assert.equal(runs, 1);
    assertNoWorkerErrors(context);
  },
};
