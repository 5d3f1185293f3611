// Each primitive on the in-memory adapters and on Redis: a signature, a chain passing
// results along, a group returning results in member order, a chord, map, chunks and
// on-success / on-error links.
import {
  applyCanvas,
  type CanvasFailure,
  chain,
  chord,
  chunks,
  chunkTask,
  group,
  map,
  signature,
} from '@stem/canvas';
import { defineTask } from '@stem/core';
import { eventually, requireService } from '@stem/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCanvasStack, STACK_KINDS } from './support/canvas-stack';
import { allTasks, createCanvasTasks } from './support/canvas-tasks';

beforeAll(async () => {
  await requireService('redis');
});

describe.each(STACK_KINDS)('canvas primitives on %s', (kind) => {
  it('runs a signature and returns its typed result', async () => {
    const stack = await openCanvasStack(kind);
    const tasks = createCanvasTasks();
    await stack.startWorker(allTasks(tasks));
    const result = await applyCanvas(stack.adapters, signature(tasks.add, { a: 2, b: 3 }));
    await expect(result.get({ timeoutMs: 5_000 })).resolves.toBe(5);
    expect(await result.status()).toBe('SUCCESS');
    expect(stack.workerErrors).toEqual([]);
  });

  it('passes each chain step the previous result', async () => {
    const stack = await openCanvasStack(kind);
    const tasks = createCanvasTasks();
    await stack.startWorker(allTasks(tasks));
    const canvas = chain(
      signature(tasks.add, { a: 1, b: 2 }),
      signature(tasks.double),
      signature(tasks.double),
      signature(tasks.format),
    );
    const result = await applyCanvas(stack.adapters, canvas);
    await expect(result.get({ timeoutMs: 5_000 })).resolves.toBe('n=12');
    expect(tasks.log.runs.get('canvas.double')).toEqual([3, 6]);
    const report = await result.report();
    expect(report.outcome).toBe('SUCCESS');
    expect(report.members.map((member) => member.status)).toEqual(Array(4).fill('SUCCESS'));
    expect(await result.progress()).toMatchObject({ completed: 4, total: 4 });
  });

  it('takes the input of a chain whose first step is open', async () => {
    const stack = await openCanvasStack(kind);
    const tasks = createCanvasTasks();
    await stack.startWorker(allTasks(tasks));
    const canvas = chain(signature(tasks.double), signature(tasks.format));
    const result = await applyCanvas(stack.adapters, canvas, { input: 21 });
    await expect(result.get({ timeoutMs: 5_000 })).resolves.toBe('n=42');
  });

  it('gives a group its results in member order, however they finish', async () => {
    const stack = await openCanvasStack(kind);
    const tasks = createCanvasTasks();
    await stack.startWorker(allTasks(tasks));
    // Later members finish first.
    const canvas = group([
      signature(tasks.slow, 300),
      signature(tasks.slow, 150),
      signature(tasks.double, 5),
    ]);
    const result = await applyCanvas(stack.adapters, canvas);
    await expect(result.get({ timeoutMs: 5_000 })).resolves.toEqual([300, 150, 10]);
  });

  it('runs a chord callback once with every result', async () => {
    const stack = await openCanvasStack(kind);
    const tasks = createCanvasTasks();
    await stack.startWorker(allTasks(tasks));
    const canvas = chord(map(tasks.double, [1, 2, 3, 4]), signature(tasks.sum));
    const result = await applyCanvas(stack.adapters, canvas);
    await expect(result.get({ timeoutMs: 5_000 })).resolves.toBe(20);
    expect(tasks.log.runs.get('canvas.sum')).toEqual([[2, 4, 6, 8]]);
  });

  it('splits chunks into one message per n argument sets', async () => {
    const stack = await openCanvasStack(kind);
    const tasks = createCanvasTasks();
    await stack.startWorker([...allTasks(tasks), chunkTask(tasks.double)]);
    const result = await applyCanvas(stack.adapters, chunks(tasks.double, [1, 2, 3, 4, 5], 2));
    await expect(result.get({ timeoutMs: 5_000 })).resolves.toEqual([[2, 4], [6, 8], [10]]);
    expect(result.node.kind === 'group' && result.node.members.length).toBe(3);
  });

  it('publishes on-success links with the result and on-error links with the failure', async () => {
    const stack = await openCanvasStack(kind);
    const tasks = createCanvasTasks();
    const failures: CanvasFailure[] = [];
    const onFailure = defineTask({
      name: 'canvas.on-failure',
      run: (failure: CanvasFailure) => void failures.push(failure),
    });
    await stack.startWorker([...allTasks(tasks), onFailure]);
    const good = signature(tasks.double, 4).onSuccess(signature(tasks.format));
    const bad = signature(tasks.fails, 'on purpose').onError(signature(onFailure));
    const goodResult = await applyCanvas(stack.adapters, good);
    const badResult = await applyCanvas(stack.adapters, bad);
    await expect(goodResult.get({ timeoutMs: 5_000 })).resolves.toBe(8);
    await expect(badResult.get({ timeoutMs: 5_000 })).rejects.toMatchObject({
      code: 'TASK_FAILED',
    });
    await eventually(
      'both links ran',
      () => tasks.log.runs.get('canvas.format')?.length === 1 && failures.length === 1,
      5_000,
    );
    expect(tasks.log.runs.get('canvas.format')).toEqual([8]);
    expect(failures[0]).toMatchObject({
      failedTaskId: badResult.id,
      error: { type: 'Error', message: 'boom: on purpose' },
    });
  });
});
