import { defineTask } from '@stem/core';
import { eventually } from '@stem/testing';
import { describe, expect, it } from 'vitest';
import { createInMemoryStack } from './in-memory-stack';

const known = defineTask({ name: 'known.task', run: () => 'ran' });

describe('a message naming a task the worker does not know', () => {
  it('is dead-lettered with UNKNOWN_TASK and recorded as FAILURE, without running anything', async () => {
    const stack = await createInMemoryStack();
    let ran = 0;
    const counting = defineTask({
      name: 'known.task',
      run: () => {
        ran += 1;
      },
    });
    const worker = await stack.startWorker([counting]);
    // No registry on the producer: the name goes out unchecked, as from another service.
    const result = await stack.stem.enqueueByName('unknown.task', { any: 1 });

    const failure = await result.get({ timeoutMs: 5_000 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'TASK_FAILED' });
    await eventually('the dead letter', async () => (await stack.broker.stats('default')).dead > 0);
    await worker.close();

    expect(ran).toBe(0);
    expect(await result.record()).toMatchObject({
      status: 'FAILURE',
      error: { code: 'UNKNOWN_TASK', type: 'UnknownTaskError', retryable: false },
    });
    const { entries } = await stack.broker.listDeadLetters({ queue: 'default' });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.envelope.id).toBe(result.id);
    expect(entries[0]!.reason.code).toBe('UNKNOWN_TASK');
    expect(entries[0]!.reason.message).toContain('unknown.task');
    expect(await stack.broker.stats('default')).toMatchObject({ ready: 0, inFlight: 0, dead: 1 });
    expect(worker.outcomes.get('unknown-task')).toBe(1);
    expect(stack.taskEventTypes(result.id)).toEqual(['task.dead-lettered']);
    expect(stack.workerErrors).toEqual([]);
  });

  it('does not disturb known tasks on the same queue', async () => {
    const stack = await createInMemoryStack();
    await stack.startWorker([known]);
    const unknown = await stack.stem.enqueueByName('nobody.knows', null);
    const result = await stack.stem.enqueue(known, null);
    expect(await result.get({ timeoutMs: 5_000 })).toBe('ran');
    await expect(unknown.get({ timeoutMs: 5_000 })).rejects.toMatchObject({ code: 'TASK_FAILED' });
  });
});
