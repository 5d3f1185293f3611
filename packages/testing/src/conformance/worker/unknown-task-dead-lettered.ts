import assert from 'node:assert/strict';
import { defineTask } from '@stem/core';
import {
  assertNoWorkerErrors,
  WORKER_PATIENCE_MS,
  type WorkerCase,
  waitForQueueStats,
} from './worker-case-context';

export const unknownTaskDeadLettered: WorkerCase = {
  name: 'unknown-task-dead-lettered',
  promise:
    'a message naming a task the worker does not know fails with UNKNOWN_TASK and is dead-lettered at once, while known tasks keep running',
  async run(context) {
    const connection = await context.connect();
    const queue = context.queue();
    const echo = defineTask({ name: 'conformance.echo', run: (text: string) => text });
    await context.startWorker(connection, { tasks: [echo], queue });

    const unknown = await connection.stem.enqueueByName(
      'conformance.nobody-runs-this',
      { x: 1 },
      { queue },
    );
    const known = await connection.stem.enqueue(echo, 'still here', { queue });

    await assert.rejects(unknown.get({ timeoutMs: WORKER_PATIENCE_MS }), { code: 'TASK_FAILED' });
    assert.equal(await known.get({ timeoutMs: WORKER_PATIENCE_MS }), 'still here');
    await waitForQueueStats(
      connection.broker,
      queue,
      { ready: 0, delayed: 0, inFlight: 0, dead: 1 },
      'the unknown task to be dead-lettered',
    );
    const record = await unknown.record();
    assert.equal(record?.status, 'FAILURE');
    assert.equal(record?.error?.code, 'UNKNOWN_TASK');
    assert.ok(record?.error?.message.includes('conformance.nobody-runs-this'));
    assert.equal(connection.broker.deliveriesOf(unknown.id).length, 1, 'it was delivered again');

    const { entries } = await connection.broker.listDeadLetters({ queue });
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.envelope.id, unknown.id);
    assert.equal(entries[0]!.reason.code, 'UNKNOWN_TASK');
    assertNoWorkerErrors(context);
  },
};
