import assert from 'node:assert/strict';
import { defineTask } from '@stem/core';
import { eventually } from '../conformance-case';
import {
  assertNoWorkerErrors,
  WORKER_PATIENCE_MS,
  type WorkerCase,
  waitForQueueStats,
} from './worker-case-context';

export const closePastGraceHandsMessageBack: WorkerCase = {
  name: 'close-past-grace-hands-message-back',
  promise:
    'a task still running when the grace period ends has its signal aborted and its message handed back ready, neither acked nor dead-lettered',
  async run(context) {
    const connection = await context.connect();
    const queue = context.queue();
    let abortCode: unknown;
    const stuck = defineTask({
      name: 'conformance.stuck',
      run: (_args: null, task) =>
        new Promise<never>((_resolve, reject) => {
          task.signal.addEventListener('abort', () => {
            abortCode = (task.signal.reason as { code?: unknown }).code;
            reject(task.signal.reason);
          });
        }),
    });
    const worker = await context.startWorker(connection, {
      tasks: [stuck],
      queue,
      concurrency: 1,
      shutdownGraceMs: 100,
    });
    const result = await connection.stem.enqueue(stuck, null, { queue });
    await eventually(
      'the task to start',
      async () => (await result.status()) === 'STARTED',
      WORKER_PATIENCE_MS,
    );

    assert.equal(await worker.close(), false, 'close() says every task finished');
    assert.equal(abortCode, 'CLOSED', "the task's signal was not aborted with CLOSED");
    await waitForQueueStats(
      connection.broker,
      queue,
      { ready: 1, delayed: 0, inFlight: 0, dead: 0 },
      'the message to be ready again',
    );
    assert.deepEqual(
      connection.broker.settlementsOf(result.id).map((settlement) => settlement.kind),
      ['release'],
    );
    assert.equal(await result.status(), 'STARTED', 'an unfinished task got a final status');
    assertNoWorkerErrors(context);
  },
};
