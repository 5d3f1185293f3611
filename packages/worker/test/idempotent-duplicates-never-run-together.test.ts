import { defineTask } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { createInMemoryStack } from './in-memory-stack';

describe('two deliveries with one idempotency key at the same time', () => {
  it('run the handler once; the second waits, then records the first result', async () => {
    const stack = await createInMemoryStack();
    let runs = 0;
    let running = 0;
    let overlapped = false;
    const charge = defineTask({
      name: 'billing.charge-once',
      idempotencyKey: ({ orderId }: { orderId: string }) => orderId,
      run: async ({ orderId }: { orderId: string }) => {
        runs += 1;
        running += 1;
        if (running > 1) overlapped = true;
        await new Promise((resolve) => setTimeout(resolve, 300));
        running -= 1;
        return { receipt: `receipt-${orderId}-${runs}` };
      },
    });
    await stack.startWorker([charge], { concurrency: 4 });
    const first = await stack.stem.enqueue(charge, { orderId: 'A-17' });
    const second = await stack.stem.enqueue(charge, { orderId: 'A-17' });
    const [firstResult, secondResult] = await Promise.all([
      first.get({ timeoutMs: 10_000 }),
      second.get({ timeoutMs: 10_000 }),
    ]);
    expect(runs).toBe(1);
    expect(overlapped).toBe(false);
    expect(firstResult).toEqual({ receipt: 'receipt-A-17-1' });
    expect(secondResult).toEqual(firstResult);
    expect(stack.workerErrors).toEqual([]);
  });
});
