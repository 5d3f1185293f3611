import { defineTask } from '@stem/core';
import { eventually } from '@stem/testing';
import { describe, expect, it } from 'vitest';
import { createInMemoryStack } from './in-memory-stack';

class GatewayDownError extends Error {}

describe('a task that fails every time', () => {
  it('is retried maxRetries times, then fails and is dead-lettered exactly once', async () => {
    const stack = await createInMemoryStack();
    const attempts: number[] = [];
    const charge = defineTask({
      name: 'billing.charge',
      retry: { maxRetries: 2, initialDelayMs: 5, multiplier: 1, jitter: 'none' },
      run: (_args: { orderId: string }, context) => {
        attempts.push(context.attempt);
        throw new GatewayDownError(`gateway down on attempt ${context.attempt}`);
      },
    });
    const worker = await stack.startWorker([charge]);
    const result = await stack.stem.enqueue(charge, { orderId: 'o-1' });

    const failure = await result.get({ timeoutMs: 5_000 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'TASK_FAILED' });
    await eventually('the dead letter', async () => (await stack.broker.stats('default')).dead > 0);
    await worker.close();

    expect(attempts).toEqual([1, 2, 3]);
    expect(stack.resultBackend.statuses.get(result.id)).toEqual([
      'STARTED',
      'RETRY',
      'STARTED',
      'RETRY',
      'STARTED',
      'FAILURE',
    ]);
    const record = await result.record();
    expect(record).toMatchObject({
      status: 'FAILURE',
      meta: { attempt: 3, taskName: 'billing.charge' },
      error: {
        type: 'GatewayDownError',
        message: 'gateway down on attempt 3',
        retryable: true,
      },
    });
    expect(record!.error!.stack).toContain('gateway down on attempt 3');

    const { entries } = await stack.broker.listDeadLetters({ queue: 'default' });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.envelope).toMatchObject({ id: result.id, attempt: 3 });
    expect(entries[0]!.reason).toMatchObject({
      code: 'TASK_FAILED',
      message: 'gateway down on attempt 3',
      error: { type: 'GatewayDownError' },
    });
    expect(await stack.broker.stats('default')).toMatchObject({
      ready: 0,
      delayed: 0,
      inFlight: 0,
      dead: 1,
    });
    expect(worker.outcomes.get('retried')).toBe(2);
    expect(worker.outcomes.get('failed')).toBe(1);
    expect(stack.taskEventTypes(result.id)).toEqual([
      'task.started',
      'task.retried',
      'task.started',
      'task.retried',
      'task.started',
      'task.failed',
    ]);
    expect(stack.workerErrors).toEqual([]);
  });

  it('succeeds on a retry after being recorded as RETRY with the error that caused it', async () => {
    const stack = await createInMemoryStack();
    const seenRetries: unknown[] = [];
    const flaky = defineTask({
      name: 'flaky.once',
      retry: { maxRetries: 1, initialDelayMs: 5, jitter: 'none' },
      run: async (_args: null, context) => {
        if (context.attempt === 1) {
          seenRetries.push((await stack.resultBackend.get(context.taskId))?.status);
          throw new GatewayDownError('first try fails');
        }
        return 'second try works';
      },
    });
    await stack.startWorker([flaky]);
    const result = await stack.stem.enqueue(flaky, null);
    expect(await result.get({ timeoutMs: 5_000 })).toBe('second try works');
    expect(seenRetries).toEqual(['STARTED']);
    const retried = stack.events.find((event) => event.type === 'task.retried');
    expect(retried).toMatchObject({ attempt: 1, error: { message: 'first try fails' } });
    expect(stack.resultBackend.statuses.get(result.id)).toEqual([
      'STARTED',
      'RETRY',
      'STARTED',
      'SUCCESS',
    ]);
  });
});
