// A slot of the concurrency cap is held while a task is checked and its handler runs. A
// success gives it to the next task before its result write and ack are answered; a
// failure keeps it until it is settled. Deliveries waiting in the prefetch keep their
// leases alive.
import { type Delivery, defineTask, InMemoryBroker, Stem } from '@stem/core';
import { eventually, sleep } from '@stem/testing';
import { describe, expect, it } from 'vitest';
import { createInMemoryStack } from './in-memory-stack';

/** An in-memory broker whose acks and dead-letterings are answered only when released. */
class SlowSettlingBroker extends InMemoryBroker {
  readonly settling: string[] = [];
  #release: () => void = () => {};
  #gate = new Promise<void>((resolve) => {
    this.#release = resolve;
  });

  releaseSettlements(): void {
    this.#release();
  }

  override async ack(delivery: Delivery): Promise<void> {
    this.settling.push(delivery.envelope.id);
    await this.#gate;
    return super.ack(delivery);
  }

  override async deadLetter(...args: Parameters<InMemoryBroker['deadLetter']>): Promise<void> {
    this.settling.push(args[0].envelope.id);
    await this.#gate;
    return super.deadLetter(...args);
  }
}

describe('a worker slot', () => {
  it('goes to the next task while a succeeded task is still being acked', async () => {
    const stack = await createInMemoryStack();
    const broker = new SlowSettlingBroker();
    const started: number[] = [];
    const job = defineTask({
      name: 'slot.quick',
      run: (args: { n: number }) => {
        started.push(args.n);
        return args.n;
      },
    });
    const producer = new Stem({ broker, resultBackend: stack.resultBackend });
    const results = [];
    for (let n = 0; n < 3; n += 1) results.push(await producer.enqueue(job, { n }));
    await stack.startWorker([job], { broker, concurrency: 1 });

    // All three ran one at a time although none of their acks has been answered.
    await eventually('all three to run', () => started.length === 3);
    expect(started).toEqual([0, 1, 2]);
    expect(broker.settling).toHaveLength(3);
    expect((await broker.stats('default')).inFlight).toBe(3);
    broker.releaseSettlements();
    for (const result of results)
      expect(await result.get({ timeoutMs: 2_000 })).toBeTypeOf('number');
    await eventually(
      'every ack answered',
      async () => (await broker.stats('default')).inFlight === 0,
    );
  });

  it('stays with a failed task until its failure is settled', async () => {
    const stack = await createInMemoryStack();
    const broker = new SlowSettlingBroker();
    const started: string[] = [];
    const fails = defineTask({
      name: 'slot.fails',
      retry: { maxRetries: 0 },
      run: () => {
        started.push('fails');
        throw new Error('no');
      },
    });
    const next = defineTask({ name: 'slot.next', run: () => void started.push('next') });
    const producer = new Stem({ broker, resultBackend: stack.resultBackend });
    await producer.enqueue(fails, null);
    await producer.enqueue(next, null);
    await stack.startWorker([fails, next], { broker, concurrency: 1 });

    await eventually('the failure to reach its dead-lettering', () => broker.settling.length === 1);
    await sleep(100);
    expect(started).toEqual(['fails']);
    broker.releaseSettlements();
    await eventually('the next task to run', () => started.length === 2);
    expect(started).toEqual(['fails', 'next']);
  });

  it('keeps the leases of deliveries waiting in the prefetch', async () => {
    const stack = await createInMemoryStack();
    const runs = new Map<string, number>();
    const slow = defineTask({
      name: 'slot.slow',
      run: async (_args: null, context) => {
        runs.set(context.taskId, (runs.get(context.taskId) ?? 0) + 1);
        await sleep(200);
      },
    });
    const results = [];
    for (let n = 0; n < 4; n += 1) results.push(await stack.stem.enqueue(slow, null));
    // One slot, four held: the last waits ~600 ms, twice its 300 ms lease.
    await stack.startWorker([slow], { concurrency: 1, prefetch: 4, leaseMs: 300 });
    for (const result of results) await result.get({ timeoutMs: 5_000 });
    await sleep(400);
    // A lapsed lease would have handed a waiting message out again: a second run.
    expect([...runs.values()]).toEqual([1, 1, 1, 1]);
    expect(await stack.broker.stats('default')).toMatchObject({ ready: 0, inFlight: 0 });
    expect(stack.workerErrors).toEqual([]);
  });
});
