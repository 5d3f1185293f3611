import { defineTask } from '@stem/core';
import { sleep } from '@stem/testing';
import { describe, expect, it } from 'vitest';
import { createInMemoryStack } from './in-memory-stack';

describe('a task that expired before a worker picked it up', () => {
  it('is skipped, recorded as REVOKED (expired) and acked', async () => {
    const stack = await createInMemoryStack();
    let ran = 0;
    const report = defineTask({
      name: 'report.build',
      run: () => {
        ran += 1;
      },
    });
    const result = await stack.stem.enqueue(report, null, { expiresInMs: 5 });
    await sleep(30);
    const worker = await stack.startWorker([report]);

    await expect(result.get({ timeoutMs: 5_000 })).rejects.toMatchObject({
      code: 'TASK_REVOKED',
    });
    await worker.close();
    expect(ran).toBe(0);
    const record = await result.record();
    expect(record).toMatchObject({
      status: 'REVOKED',
      meta: { note: 'expired before it started' },
    });
    expect(stack.resultBackend.statuses.get(result.id)).toEqual(['REVOKED']);
    expect(await stack.broker.stats('default')).toMatchObject({
      ready: 0,
      delayed: 0,
      inFlight: 0,
      dead: 0,
    });
    expect(worker.outcomes.get('expired')).toBe(1);
    expect(stack.taskEventTypes(result.id)).toEqual(['task.expired']);
  });

  it('still runs when it has not expired yet', async () => {
    const stack = await createInMemoryStack();
    const report = defineTask({ name: 'report.build', expiresInMs: 60_000, run: () => 'built' });
    await stack.startWorker([report]);
    const result = await stack.stem.enqueue(report, null);
    expect(await result.get({ timeoutMs: 5_000 })).toBe('built');
  });
});
