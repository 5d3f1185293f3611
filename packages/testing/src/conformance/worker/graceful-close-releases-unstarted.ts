import assert from 'node:assert/strict';
import { defineTask } from '@stem/core';
import { eventually, sleep } from '../conformance-case';
import {
  assertNoWorkerErrors,
  WORKER_PATIENCE_MS,
  type WorkerCase,
  waitForQueueStats,
} from './worker-case-context';

export const gracefulCloseReleasesUnstarted: WorkerCase = {
  name: 'graceful-close-releases-unstarted',
  promise:
    'closing a busy worker lets the running task finish undisturbed and hands the unstarted messages back ready, without counting a delivery',
  async run(context) {
    const connection = await context.connect();
    const queue = context.queue();
    const started: number[] = [];
    let abortedSignals = 0;
    const job = defineTask({
      name: 'conformance.batch-job',
      run: async (n: number, task) => {
        started.push(n);
        await sleep(300);
        if (task.signal.aborted) abortedSignals += 1;
        return n;
      },
    });
    const worker = await context.startWorker(connection, { tasks: [job], queue, concurrency: 1 });
    const results = [];
    for (let n = 0; n < 4; n += 1) results.push(await connection.stem.enqueue(job, n, { queue }));
    await eventually('the first task to start', () => started.length === 1, WORKER_PATIENCE_MS);

    assert.equal(await worker.close(), true, 'close() says a task did not finish in time');
    assert.deepEqual(started, [0]);
    assert.equal(abortedSignals, 0, "the running task's signal was aborted");
    assert.equal(await results[0]!.status(), 'SUCCESS');
    for (const result of results.slice(1)) assert.equal(await result.status(), 'PENDING');
    await waitForQueueStats(
      connection.broker,
      queue,
      { ready: 3, delayed: 0, inFlight: 0, dead: 0 },
      'the three unstarted messages to be ready again',
    );
    for (const result of results.slice(1)) {
      const kinds = connection.broker.settlementsOf(result.id).map((settlement) => settlement.kind);
      assert.ok(
        kinds.every((kind) => kind === 'release'),
        `an unstarted message was settled with ${kinds.join(', ')}`,
      );
    }

    // The next worker sees each of the three as delivered for the first time.
    const next = await context.connect();
    await context.startWorker(next, { tasks: [job], queue, concurrency: 3 });
    for (const result of results.slice(1)) await result.get({ timeoutMs: WORKER_PATIENCE_MS });
    const counts = results.slice(1).map((result) => next.broker.deliveriesOf(result.id));
    assert.deepEqual(
      counts.map((deliveries) => deliveries.map((delivery) => delivery.deliveryCount)),
      [[1], [1], [1]],
    );
    assert.deepEqual(
      [...started].sort((left, right) => left - right),
      [0, 1, 2, 3],
    );
    assertNoWorkerErrors(context);
  },
};
