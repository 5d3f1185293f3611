import assert from 'node:assert/strict';
import { defineTask } from '@stem/core';
import { sleep } from '../conformance-case';
import {
  assertNoWorkerErrors,
  WORKER_PATIENCE_MS,
  type WorkerCase,
  waitForQueueStats,
} from './worker-case-context';

export const leaseKeptAliveForLongTask: WorkerCase = {
  name: 'lease-kept-alive-for-long-task',
  promise:
    'a task running five times longer than its lease is never delivered again while its worker lives: the worker extends the lease',
  async run(context) {
    const first = await context.connect();
    const second = await context.connect();
    const queue = context.queue();
    let calls = 0;
    const encode = defineTask({
      name: 'conformance.encode',
      run: async () => {
        calls += 1;
        await sleep(1_500);
        return 'encoded';
      },
    });
    // Two workers with spare capacity: a lapsed lease would hand the message to either.
    const settings = { tasks: [encode], queue, leaseMs: 300, concurrency: 2 };
    await context.startWorker(first, settings);
    await context.startWorker(second, settings);
    const result = await first.stem.enqueue(encode, null, { queue });

    assert.equal(await result.get({ timeoutMs: WORKER_PATIENCE_MS }), 'encoded');
    assert.equal(calls, 1, 'the handler ran again while the first run was alive');
    const deliveries = [
      ...first.broker.deliveriesOf(result.id),
      ...second.broker.deliveriesOf(result.id),
    ];
    assert.equal(deliveries.length, 1, 'the message was delivered again');
    await waitForQueueStats(
      first.broker,
      queue,
      { ready: 0, delayed: 0, inFlight: 0, dead: 0 },
      'the message to be acked',
    );
    const acks = [
      ...first.broker.settlementsOf(result.id),
      ...second.broker.settlementsOf(result.id),
    ];
    assert.deepEqual(
      acks.map((settlement) => settlement.kind),
      ['ack'],
    );
    assertNoWorkerErrors(context);
  },
};
