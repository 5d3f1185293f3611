import { eventually } from '@stem/testing';
import { ThreadPool } from '@stem/worker';
import { describe, expect, it } from 'vitest';
import {
  double,
  exitThread,
  THREAD_PROBE_APP,
  threadProbeTasks,
  throwOutsideHandler,
} from './fixtures/thread-probe-app';
import { createInMemoryStack } from './in-memory-stack';

describe('a task whose thread dies', () => {
  it.each([
    ['calls process.exit', exitThread, 'exited with code 3'],
    ['throws outside its handler', throwOutsideHandler, 'thrown from a timer'],
  ] as const)(
    'fails with WORKER_LOST when it %s, and the pool recovers',
    async (_how, task, detail) => {
      const stack = await createInMemoryStack();
      const worker = await stack.startWorker(threadProbeTasks, {
        appModule: THREAD_PROBE_APP,
        pool: 'threads',
        concurrency: 2,
      });
      const threads = worker.pool as ThreadPool;
      expect(threads).toBeInstanceOf(ThreadPool);

      const doomed = await stack.stem.enqueue(task, null, { maxRetries: 0 });
      await expect(doomed.get({ timeoutMs: 15_000 })).rejects.toMatchObject({
        code: 'TASK_FAILED',
      });
      const record = await doomed.record();
      expect(record).toMatchObject({
        status: 'FAILURE',
        error: { code: 'WORKER_LOST', type: 'WorkerLostError' },
      });
      expect(record?.error?.message).toContain(detail);
      await eventually(
        'the dead letter',
        async () => (await stack.broker.stats('default')).dead === 1,
      );

      await eventually(
        'the pool to be back to two threads',
        () => threads.threadCount === 2,
        15_000,
      );
      const next = await stack.stem.enqueue(double, { n: 5 });
      expect(await next.get({ timeoutMs: 15_000 })).toBe(10);
      expect(stack.workerErrors).toEqual([]);
    },
    30_000,
  );
});
