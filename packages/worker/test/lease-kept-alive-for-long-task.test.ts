import { defineTask } from '@stem/core';
import { sleep } from '@stem/testing';
import { describe, expect, it } from 'vitest';
import { createInMemoryStack } from './in-memory-stack';

describe('a task running far longer than its lease', () => {
  it('is never delivered twice while its worker keeps the lease alive, and is acked once', async () => {
    const stack = await createInMemoryStack();
    let invocations = 0;
    const slow = defineTask({
      name: 'video.encode',
      run: async () => {
        invocations += 1;
        await sleep(1_500);
        return 'encoded';
      },
    });
    // Two idle workers on the same queue: a lease that lapsed would hand the message
    // to one of them (or back to the first, which has spare capacity).
    const options = { leaseMs: 300, concurrency: 2 };
    const first = await stack.startWorker([slow], options);
    const result = await stack.stem.enqueue(slow, null);
    await sleep(20);
    const second = await stack.startWorker([slow], options);

    expect(await result.get({ timeoutMs: 5_000 })).toBe('encoded');
    await Promise.all([first.close(), second.close()]);

    expect(invocations).toBe(1);
    expect(stack.resultBackend.statuses.get(result.id)).toEqual(['STARTED', 'SUCCESS']);
    expect(await stack.broker.stats('default')).toEqual({
      queue: 'default',
      ready: 0,
      delayed: 0,
      inFlight: 0,
      dead: 0,
    });
    const succeeded =
      (first.outcomes.get('succeeded') ?? 0) + (second.outcomes.get('succeeded') ?? 0);
    expect(succeeded).toBe(1);
    // A refused (LEASE_LOST) ack would be swallowed; any other settle error is reported.
    expect(stack.workerErrors).toEqual([]);
  });
});
