import assert from 'node:assert/strict';
import { defineTask } from '@stem/core';
import {
  assertNoWorkerErrors,
  WORKER_PATIENCE_MS,
  type WorkerCase,
  waitForQueueStats,
} from './worker-case-context';

export const runsTaskThenAcks: WorkerCase = {
  name: 'runs-task-then-acks',
  promise:
    'a task runs once, its result is SUCCESS with the return value, and only then is its message acked',
  async run(context) {
    const connection = await context.connect();
    const queue = context.queue();
    let calls = 0;
    const add = defineTask({
      name: 'conformance.add',
      run: ({ a, b }: { a: number; b: number }) => {
        calls += 1;
        return a + b;
      },
    });
    await context.startWorker(connection, { tasks: [add], queue });
    const result = await connection.stem.enqueue(add, { a: 2, b: 3 }, { queue });

    assert.equal(await result.get({ timeoutMs: WORKER_PATIENCE_MS }), 5);
    await waitForQueueStats(
      connection.broker,
      queue,
      { ready: 0, delayed: 0, inFlight: 0, dead: 0 },
      'the acked message to leave the queue',
    );
    assert.equal(calls, 1, 'the handler ran more than once');
    const record = await result.record();
    assert.equal(record?.status, 'SUCCESS');
    assert.equal(record?.payload, 5);
    assert.equal(record?.meta.attempt, 1);
    assert.equal(record?.meta.taskName, 'conformance.add');
    assert.deepEqual(connection.resultBackend.statusesOf(result.id), ['STARTED', 'SUCCESS']);

    const settlements = connection.broker.settlementsOf(result.id);
    assert.deepEqual(
      settlements.map((settlement) => settlement.kind),
      ['ack'],
    );
    const success = connection.resultBackend
      .writesOf(result.id)
      .find((write) => write.record.status === 'SUCCESS');
    assert.ok(
      success !== undefined && success.sequence < settlements[0]!.sequence,
      'the message was acked before its SUCCESS result was stored',
    );
    assertNoWorkerErrors(context);
  },
};
