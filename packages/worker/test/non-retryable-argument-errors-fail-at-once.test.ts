import { defineTask } from '@stem/core';
import { eventually } from '@stem/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createInMemoryStack } from './in-memory-stack';

describe('arguments the worker finds invalid', () => {
  it('fail at once with ARGUMENTS_INVALID, however many retries the task allows', async () => {
    const stack = await createInMemoryStack();
    let ran = 0;
    const resize = defineTask({
      name: 'image.resize',
      retry: { maxRetries: 5, initialDelayMs: 1, jitter: 'none' },
      schema: z.object({ width: z.number().int().positive() }),
      run: (args) => {
        ran += 1;
        return args.width;
      },
    });
    const worker = await stack.startWorker([resize]);
    // The producer knows no tasks, so the bad arguments reach the queue unchecked.
    const result = await stack.stem.enqueueByName('image.resize', { width: -3 });

    await expect(result.get({ timeoutMs: 5_000 })).rejects.toMatchObject({ code: 'TASK_FAILED' });
    await eventually('the dead letter', async () => (await stack.broker.stats('default')).dead > 0);
    await worker.close();

    expect(ran).toBe(0);
    expect(stack.resultBackend.statuses.get(result.id)).toEqual(['STARTED', 'FAILURE']);
    const record = await result.record();
    expect(record).toMatchObject({
      status: 'FAILURE',
      meta: { attempt: 1 },
      error: { code: 'ARGUMENTS_INVALID', retryable: false },
    });
    expect(record!.error!.message).toContain('width');
    const { entries } = await stack.broker.listDeadLetters({ queue: 'default' });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.envelope.attempt).toBe(1);
    expect(worker.outcomes.get('retried')).toBeUndefined();
  });

  it('a permanent error thrown by the handler also fails at once', async () => {
    const stack = await createInMemoryStack();
    let runs = 0;
    const charge = defineTask({
      name: 'card.charge',
      retry: { maxRetries: 5, initialDelayMs: 1, jitter: 'none' },
      run: () => {
        runs += 1;
        throw Object.assign(new Error('card expired'), { retryable: false, code: 'CARD_EXPIRED' });
      },
    });
    await stack.startWorker([charge]);
    const result = await stack.stem.enqueue(charge, null);
    await expect(result.get({ timeoutMs: 5_000 })).rejects.toMatchObject({ code: 'TASK_FAILED' });
    expect(runs).toBe(1);
    expect(await result.record()).toMatchObject({ error: { code: 'CARD_EXPIRED' } });
  });
});
