import { defineTask } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { createInMemoryStack } from './in-memory-stack';

const add = defineTask({
  name: 'math.add',
  run: (args: { a: number; b: number }, context) => ({
    sum: args.a + args.b,
    attempt: context.attempt,
    queue: context.queue,
  }),
});

describe('a worker running a task', () => {
  it('records SUCCESS with the payload and acks the message', async () => {
    const stack = await createInMemoryStack();
    const worker = await stack.startWorker([add]);
    const result = await stack.stem.enqueue(add, { a: 2, b: 3 });
    expect(await result.get({ timeoutMs: 5_000 })).toEqual({
      sum: 5,
      attempt: 1,
      queue: 'default',
    });

    const record = await result.record();
    expect(record).toMatchObject({
      status: 'SUCCESS',
      meta: { taskName: 'math.add', queue: 'default', attempt: 1, workerId: worker.workerId },
    });
    expect(record!.meta.finishedAt).toBeGreaterThanOrEqual(record!.meta.startedAt!);
    expect(stack.resultBackend.statuses.get(result.id)).toEqual(['STARTED', 'SUCCESS']);

    // The ack follows the result write; wait for the worker to settle the delivery.
    await worker.close();
    expect(await stack.broker.stats('default')).toEqual({
      queue: 'default',
      ready: 0,
      delayed: 0,
      inFlight: 0,
      dead: 0,
    });
    expect(worker.outcomes.get('succeeded')).toBe(1);
    expect(stack.taskEventTypes(result.id)).toEqual(['task.started', 'task.succeeded']);
    expect(stack.workerErrors).toEqual([]);
  });

  it('consumes only its own queues', async () => {
    const stack = await createInMemoryStack();
    const worker = await stack.startWorker([add], { queues: ['math'] });
    const elsewhere = await stack.stem.enqueue(add, { a: 1, b: 1 });
    const here = await stack.stem.enqueue(add, { a: 1, b: 2 }, { queue: 'math' });
    expect(await here.get({ timeoutMs: 5_000 })).toMatchObject({ sum: 3, queue: 'math' });
    await worker.close();
    expect(await elsewhere.status()).toBe('PENDING');
    expect((await stack.broker.stats('default')).ready).toBe(1);
  });
});
