import { eventually, RecordingBroker } from '@stem/testing';
import { describe, expect, it } from 'vitest';
import { double, spin, THREAD_PROBE_APP, threadProbeTasks } from './fixtures/thread-probe-app';
import { createInMemoryStack } from './in-memory-stack';

describe('CPU-bound tasks blocking every thread of a saturated pool', () => {
  it('are delivered once each: the main thread keeps their leases alive', async () => {
    const stack = await createInMemoryStack();
    const broker = new RecordingBroker(stack.broker);
    // Each spin blocks its thread for four leases; the two threads are both busy.
    await stack.startWorker(threadProbeTasks, {
      broker,
      appModule: THREAD_PROBE_APP,
      pool: 'threads',
      concurrency: 2,
      leaseMs: 400,
    });
    const spins = [];
    for (let index = 0; index < 4; index += 1) {
      spins.push(await stack.stem.enqueue(spin, { forMs: 1_600 }));
    }
    const doubles = [
      await stack.stem.enqueue(double, { n: 1 }),
      await stack.stem.enqueue(double, { n: 2 }),
    ];

    for (const result of spins) expect(await result.get({ timeoutMs: 20_000 })).toBe(true);
    expect(await Promise.all(doubles.map((result) => result.get({ timeoutMs: 20_000 })))).toEqual([
      2, 4,
    ]);
    // The ack follows the SUCCESS record: wait for the last one to land.
    await eventually('every message to be acked', async () => {
      const stats = await stack.broker.stats('default');
      return stats.ready === 0 && stats.inFlight === 0;
    });
    for (const result of [...spins, ...doubles]) {
      expect(broker.deliveriesOf(result.id)).toHaveLength(1);
      expect(broker.settlementsOf(result.id).map((settlement) => settlement.kind)).toEqual(['ack']);
      expect(stack.resultBackend.statuses.get(result.id)).toEqual(['STARTED', 'SUCCESS']);
    }
    expect(await stack.broker.stats('default')).toMatchObject({ dead: 0 });
    expect(stack.workerErrors).toEqual([]);
  }, 40_000);
});
