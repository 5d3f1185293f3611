// A chord of 1,000 members, run by two workers at once, on the in-memory adapters and on
// Redis: the callback runs exactly once, with all 1,000 results in member order.
import { applyCanvas, chord, map, signature } from '@stem/canvas';
import { requireService, sleep } from '@stem/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCanvasStack, STACK_KINDS } from './support/canvas-stack';
import { allTasks, createCanvasTasks } from './support/canvas-tasks';

const MEMBERS = 1_000;

beforeAll(async () => {
  await requireService('redis');
});

describe.each(STACK_KINDS)('a chord of 1,000 on %s', (kind) => {
  it('runs its callback exactly once with every result in order', { timeout: 30_000 }, async () => {
    const stack = await openCanvasStack(kind);
    const tasks = createCanvasTasks();
    await stack.startWorker(allTasks(tasks), { concurrency: 25 });
    await stack.startWorker(allTasks(tasks), { concurrency: 25 });
    const values = Array.from({ length: MEMBERS }, (_, index) => index);
    const result = await applyCanvas(
      stack.adapters,
      chord(map(tasks.double, values), signature(tasks.sum)),
    );

    await expect(result.get({ timeoutMs: 25_000 })).resolves.toBe(MEMBERS * (MEMBERS - 1));
    // Give a second (wrong) firing time to show up before counting.
    await sleep(300);
    const fired = tasks.log.runs.get('canvas.sum') ?? [];
    expect(fired).toHaveLength(1);
    expect(fired[0]).toEqual(values.map((value) => value * 2));
    expect(tasks.log.runs.get('canvas.double')).toHaveLength(MEMBERS);
    const report = await result.report();
    expect(report.outcome).toBe('SUCCESS');
    expect(report.members).toHaveLength(MEMBERS);
    expect(stack.workerErrors).toEqual([]);
  });
});
