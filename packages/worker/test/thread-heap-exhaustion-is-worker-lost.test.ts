import { defineTask } from '@stem/core';
import { eventually } from '@stem/testing';
import type { ThreadPool } from '@stem/worker';
import { describe, expect, it } from 'vitest';
import { exhaustHeap } from './fixtures/thread-app';

const THREAD_APP = new URL('./fixtures/thread-app.ts', import.meta.url);

import { createInMemoryStack } from './in-memory-stack';

describe('a task that exhausts its thread heap limit', () => {
  it('fails with WORKER_LOST while the process lives on, and the thread is replaced', async () => {
    const stack = await createInMemoryStack();
    const double = defineTask({ name: 'test.double', run: ({ n }: { n: number }) => n * 2 });
    const worker = await stack.startWorker([exhaustHeap, double], {
      appModule: THREAD_APP,
      pool: 'threads',
      concurrency: 1,
      threads: { maxOldGenerationSizeMb: 32 },
    });
    const threads = worker.pool as ThreadPool;
    const doomed = await stack.stem.enqueue(exhaustHeap, null, { maxRetries: 0 });
    await expect(doomed.get({ timeoutMs: 30_000 })).rejects.toMatchObject({ code: 'TASK_FAILED' });
    expect(await doomed.record()).toMatchObject({
      status: 'FAILURE',
      error: { code: 'WORKER_LOST' },
    });
    await eventually('a replacement thread', () => threads.threadCount === 1, 15_000);
    const next = await stack.stem.enqueue(double, { n: 21 });
    expect(await next.get({ timeoutMs: 15_000 })).toBe(42);
  }, 60_000);
});
