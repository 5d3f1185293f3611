import { type Delivery, defineTask } from '@stem/core';
import { eventually, sleep } from '@stem/testing';
import { describe, expect, it } from 'vitest';
import { createInMemoryStack } from './in-memory-stack';

describe('closing a busy worker', () => {
  it('lets the running task finish and leaves the unstarted ones ready, uncounted', async () => {
    const stack = await createInMemoryStack();
    const started: number[] = [];
    let abortedSignals = 0;
    const job = defineTask({
      name: 'batch.job',
      run: async (args: { n: number }, context) => {
        started.push(args.n);
        await sleep(200);
        if (context.signal.aborted) abortedSignals += 1;
        return args.n;
      },
    });
    const worker = await stack.startWorker([job], { concurrency: 1 });
    const results = [];
    for (let n = 0; n < 5; n += 1) results.push(await stack.stem.enqueue(job, { n }));
    await eventually('the first task to start', () => started.length === 1);

    await worker.close();

    expect(started).toEqual([0]);
    expect(abortedSignals).toBe(0);
    expect(await results[0]!.status()).toBe('SUCCESS');
    for (const result of results.slice(1)) expect(await result.status()).toBe('PENDING');
    expect(await stack.broker.stats('default')).toEqual({
      queue: 'default',
      ready: 4,
      delayed: 0,
      inFlight: 0,
      dead: 0,
    });

    // The next consumer sees each of the four as delivered for the first time.
    const deliveries: Delivery[] = [];
    await stack.broker.consume({ queue: 'default', prefetch: 10 }, (delivery) =>
      deliveries.push(delivery),
    );
    await eventually('the four deliveries', () => deliveries.length === 4);
    expect(deliveries.map((delivery) => delivery.deliveryCount)).toEqual([1, 1, 1, 1]);
    expect(deliveries.map((delivery) => delivery.envelope.args)).toEqual([
      { n: 1 },
      { n: 2 },
      { n: 3 },
      { n: 4 },
    ]);
  });

  it('releases deliveries waiting beyond the cap without counting them', async () => {
    const stack = await createInMemoryStack();
    const started: number[] = [];
    const job = defineTask({
      name: 'batch.job',
      run: async (args: { n: number }) => {
        started.push(args.n);
        await sleep(150);
        return args.n;
      },
    });
    const worker = await stack.startWorker([job], { concurrency: 2 });
    for (let n = 0; n < 6; n += 1) await stack.stem.enqueue(job, { n });
    await eventually('two tasks to start', () => started.length === 2);
    await worker.close();

    expect(started).toEqual([0, 1]);
    expect(await stack.broker.stats('default')).toMatchObject({ ready: 4, inFlight: 0 });
    const deliveries: Delivery[] = [];
    await stack.broker.consume({ queue: 'default', prefetch: 10 }, (delivery) =>
      deliveries.push(delivery),
    );
    await eventually('the four deliveries', () => deliveries.length === 4);
    expect(deliveries.every((delivery) => delivery.deliveryCount === 1)).toBe(true);
  });

  it('aborts a task still running after the grace period and hands its message back', async () => {
    const stack = await createInMemoryStack();
    let sawAbort = false;
    const stuck = defineTask({
      name: 'stuck.job',
      run: (_args: null, context) =>
        new Promise((_resolve, reject) => {
          context.signal.addEventListener('abort', () => {
            sawAbort = true;
            reject(context.signal.reason);
          });
        }),
    });
    const worker = await stack.startWorker([stuck], { concurrency: 1, shutdownGraceMs: 50 });
    const result = await stack.stem.enqueue(stuck, null);
    await eventually('the task to start', async () => (await result.status()) === 'STARTED');
    await worker.close();
    expect(sawAbort).toBe(true);
    expect(await stack.broker.stats('default')).toMatchObject({ ready: 1, inFlight: 0, dead: 0 });
  });
});
