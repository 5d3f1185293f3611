// A group inside a chain inside a chord, on the in-memory adapters and on Redis: the
// nested results flow outwards in order and the chord callback runs once.
import { applyCanvas, chain, chord, group, signature } from '@stem/canvas';
import { requireService } from '@stem/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCanvasStack, STACK_KINDS } from './support/canvas-stack';
import { allTasks, createCanvasTasks } from './support/canvas-tasks';

beforeAll(async () => {
  await requireService('redis');
});

describe.each(STACK_KINDS)('nested canvases on %s', (kind) => {
  it('runs a group inside a chain inside a chord', async () => {
    const stack = await openCanvasStack(kind);
    const tasks = createCanvasTasks();
    await stack.startWorker(allTasks(tasks));
    const member = (n: number) =>
      chain(signature(tasks.double, n), group([signature(tasks.double), signature(tasks.format)]));
    const canvas = chord(
      group([member(1), member(2), signature(tasks.add, { a: 1, b: 1 })]),
      signature(tasks.collect),
    );
    const result = await applyCanvas(stack.adapters, canvas);
    await expect(result.get({ timeoutMs: 8_000 })).resolves.toEqual([[4, 'n=2'], [8, 'n=4'], 2]);
    expect(tasks.log.runs.get('canvas.collect')).toHaveLength(1);
    const report = await result.report();
    expect(report.outcome).toBe('SUCCESS');
    expect(report.members).toHaveLength(3);
    expect(stack.workerErrors).toEqual([]);
  });

  it('a chain of chords feeds one callback result into the next group', async () => {
    const stack = await openCanvasStack(kind);
    const tasks = createCanvasTasks();
    await stack.startWorker(allTasks(tasks));
    const canvas = chain(
      chord(group([signature(tasks.double, 1), signature(tasks.double, 2)]), signature(tasks.sum)),
      group([signature(tasks.double), signature(tasks.format)]),
      signature(tasks.collect),
    );
    const result = await applyCanvas(stack.adapters, canvas);
    await expect(result.get({ timeoutMs: 8_000 })).resolves.toEqual([12, 'n=6']);
  });

  it('a failing member deep inside fails the outer fail-fast chord', async () => {
    const stack = await openCanvasStack(kind);
    const tasks = createCanvasTasks();
    await stack.startWorker(allTasks(tasks));
    const canvas = chord(
      group([
        chain(signature(tasks.double, 1), group([signature(tasks.double), signature(tasks.fails)])),
        signature(tasks.double, 5),
      ]),
      signature(tasks.collect),
    );
    const result = await applyCanvas(stack.adapters, canvas);
    await expect(result.get({ timeoutMs: 8_000 })).rejects.toMatchObject({ code: 'TASK_FAILED' });
    expect(tasks.log.runs.get('canvas.collect')).toBeUndefined();
  });
});
