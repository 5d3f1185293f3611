import { sleep } from '@stem/testing';
import { ThreadPool } from '@stem/worker';
import { describe, expect, it } from 'vitest';
import {
  politeSleeper,
  THREAD_PROBE_APP,
  threadProbeTasks,
  whichThread,
} from './fixtures/thread-probe-app';
import { createInMemoryStack } from './in-memory-stack';

describe('a polite task past its soft time limit, on the thread pool', () => {
  it('ends with SOFT_TIME_LIMIT_EXCEEDED before the hard limit, and its thread lives on', async () => {
    const stack = await createInMemoryStack();
    // One thread: a task that runs on it later proves the thread was not replaced.
    const worker = await stack.startWorker(threadProbeTasks, {
      appModule: THREAD_PROBE_APP,
      pool: 'threads',
      concurrency: 1,
    });
    const threads = worker.pool as ThreadPool;
    expect(threads).toBeInstanceOf(ThreadPool);
    const before = await stack.stem.enqueue(whichThread, null);
    const threadBefore = await before.get({ timeoutMs: 15_000 });

    const polite = await stack.stem.enqueue(
      politeSleeper,
      { forMs: 20_000 },
      { softTimeLimitMs: 300, hardTimeLimitMs: 1_500, maxRetries: 0 },
    );
    await expect(polite.get({ timeoutMs: 15_000 })).rejects.toMatchObject({
      code: 'TASK_FAILED',
    });
    // Had the task outlived the hard limit, the error would be TIME_LIMIT_EXCEEDED.
    expect(await polite.record()).toMatchObject({
      status: 'FAILURE',
      error: { code: 'SOFT_TIME_LIMIT_EXCEEDED', type: 'SoftTimeLimitExceededError' },
    });

    // Past the moment the hard limit would have struck, the same thread still serves.
    await sleep(1_500);
    const after = await stack.stem.enqueue(whichThread, null);
    expect(await after.get({ timeoutMs: 15_000 })).toBe(threadBefore);
    expect(threads.threadCount).toBe(1);
    expect(stack.workerErrors).toEqual([]);
  }, 30_000);
});
