import { eventually } from '@stem/testing';
import { ThreadPool } from '@stem/worker';
import { describe, expect, it } from 'vitest';
import { THREAD_PROBE_APP, threadProbeTasks, whichThread } from './fixtures/thread-probe-app';
import { createInMemoryStack } from './in-memory-stack';

describe('a thread pool with maxTasksPerThread', () => {
  it('replaces each thread after that many tasks, and every task still succeeds', async () => {
    const stack = await createInMemoryStack();
    const worker = await stack.startWorker(threadProbeTasks, {
      appModule: THREAD_PROBE_APP,
      pool: 'threads',
      concurrency: 2,
      threads: { maxTasksPerThread: 3 },
    });
    const threads = worker.pool as ThreadPool;
    expect(threads).toBeInstanceOf(ThreadPool);

    const results = [];
    for (let index = 0; index < 10; index += 1) {
      results.push(await stack.stem.enqueue(whichThread, null));
    }
    const threadIds = await Promise.all(results.map((result) => result.get({ timeoutMs: 20_000 })));

    const tasksPerThread = new Map<number, number>();
    for (const id of threadIds) tasksPerThread.set(id, (tasksPerThread.get(id) ?? 0) + 1);
    // No thread ran more than three: ten tasks needed at least four threads.
    expect(Math.max(...tasksPerThread.values())).toBeLessThanOrEqual(3);
    expect(tasksPerThread.size).toBeGreaterThanOrEqual(4);
    for (const result of results) expect(await result.status()).toBe('SUCCESS');
    await eventually('the pool to be back to two threads', () => threads.threadCount === 2, 15_000);
    expect(stack.workerErrors).toEqual([]);
  }, 40_000);
});
