import assert from 'node:assert/strict';
import { defineTask } from '@stem/core';
import {
  assertNoWorkerErrors,
  WORKER_PATIENCE_MS,
  type WorkerCase,
  waitForQueueStats,
} from './worker-case-context';

export const idempotencyKeyRunsOnce: WorkerCase = {
  name: 'idempotency-key-runs-once',
  promise:
    'two messages with the same idempotency key, run one after the other, run the handler once and both succeed with the same result',
  async run(context) {
    const connection = await context.connect();
    const queue = context.queue();
    let runs = 0;
    const refund = defineTask({
      name: 'conformance.refund',
      run: (orderId: string) => {
        runs += 1;
        return { refunded: orderId, run: runs };
      },
    });
    // One at a time: the key guards against a repeat, not against two racing copies.
    await context.startWorker(connection, { tasks: [refund], queue, concurrency: 1 });
    const options = { queue, idempotencyKey: 'refund-o-42' };
    const first = await connection.stem.enqueue(refund, 'o-42', options);
    const second = await connection.stem.enqueue(refund, 'o-42', options);

    const firstPayload = await first.get({ timeoutMs: WORKER_PATIENCE_MS });
    const secondPayload = await second.get({ timeoutMs: WORKER_PATIENCE_MS });
    assert.equal(runs, 1, 'the handler ran for both messages');
    assert.deepEqual(firstPayload, { refunded: 'o-42', run: 1 });
    assert.deepEqual(secondPayload, firstPayload);
    assert.equal((await second.record())?.status, 'SUCCESS');
    await waitForQueueStats(
      connection.broker,
      queue,
      { ready: 0, delayed: 0, inFlight: 0, dead: 0 },
      'both messages to be acked',
    );
    for (const result of [first, second]) {
      assert.deepEqual(
        connection.broker.settlementsOf(result.id).map((settlement) => settlement.kind),
        ['ack'],
      );
    }
    assertNoWorkerErrors(context);
  },
};
