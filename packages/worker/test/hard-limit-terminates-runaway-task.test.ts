import { eventually } from '@stem/testing';
import { ThreadPool } from '@stem/worker';
import { describe, expect, it } from 'vitest';
import {
  double,
  spinForever,
  THREAD_PROBE_APP,
  threadProbeTasks,
} from './fixtures/thread-probe-app';
import { createInMemoryStack } from './in-memory-stack';

describe('a task that never returns, on the thread pool', () => {
  it('is terminated at its hard time limit, fails with TIME_LIMIT_EXCEEDED, and its thread is replaced', async () => {
    const stack = await createInMemoryStack();
    const worker = await stack.startWorker(threadProbeTasks, {
      appModule: THREAD_PROBE_APP,
      pool: 'threads',
      concurrency: 2,
    });
    const pool = worker.pool;
    expect(pool).toBeInstanceOf(ThreadPool);
    const threads = pool as ThreadPool;

    const runaway = await stack.stem.enqueue(spinForever, null, {
      hardTimeLimitMs: 500,
      maxRetries: 0,
    });
    await expect(runaway.get({ timeoutMs: 15_000 })).rejects.toMatchObject({
      code: 'TASK_FAILED',
    });
    expect(await runaway.record()).toMatchObject({
      status: 'FAILURE',
      error: { code: 'TIME_LIMIT_EXCEEDED', details: { limitMs: 500 } },
    });
    expect(stack.resultBackend.statuses.get(runaway.id)).toEqual(['STARTED', 'FAILURE']);
    await eventually(
      'the dead letter',
      async () => (await stack.broker.stats('default')).dead === 1,
    );
    const { entries } = await stack.broker.listDeadLetters({ queue: 'default' });
    expect(entries[0]).toMatchObject({
      envelope: { id: runaway.id },
      reason: { code: 'TASK_FAILED', error: { code: 'TIME_LIMIT_EXCEEDED' } },
    });

    // The same worker goes on: the next task runs and the pool is back to full size.
    const next = await stack.stem.enqueue(double, { n: 21 });
    expect(await next.get({ timeoutMs: 15_000 })).toBe(42);
    await eventually('the pool to be back to two threads', () => threads.threadCount === 2, 15_000);
    expect(await stack.broker.stats('default')).toMatchObject({ ready: 0, inFlight: 0, dead: 1 });
    expect(stack.workerErrors).toEqual([]);
  }, 30_000);
});
