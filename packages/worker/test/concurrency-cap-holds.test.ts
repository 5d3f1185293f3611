import { defineTask } from '@stem/core';
import { sleep } from '@stem/testing';
import { describe, expect, it } from 'vitest';
import { createInMemoryStack } from './in-memory-stack';

describe('the concurrency cap', () => {
  it('never lets more tasks run at once than configured', async () => {
    const stack = await createInMemoryStack();
    let running = 0;
    let mostAtOnce = 0;
    const slow = defineTask({
      name: 'slow.task',
      run: async (args: { n: number }) => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await sleep(40);
        running -= 1;
        return args.n;
      },
    });
    const worker = await stack.startWorker([slow], { concurrency: 2 });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, n) => stack.stem.enqueue(slow, { n })),
    );
    const values = await Promise.all(results.map((result) => result.get({ timeoutMs: 5_000 })));
    await worker.close();

    expect(values).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(mostAtOnce).toBe(2);
    expect(worker.outcomes.get('succeeded')).toBe(10);
  });

  it('refuses a concurrency that is not a positive integer', async () => {
    const stack = await createInMemoryStack();
    await expect(stack.startWorker([], { concurrency: 0 })).rejects.toThrow(RangeError);
    await expect(stack.startWorker([], { concurrency: 1.5 })).rejects.toThrow(RangeError);
  });
});
