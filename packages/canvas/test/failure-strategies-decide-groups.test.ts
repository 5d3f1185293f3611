// Fail-fast and continue, on the in-memory adapters and on Redis. Fail-fast: the first
// permanent failure revokes the siblings still pending or running, the chord callback
// does not run, the error link does. Continue: every member runs and the callback gets
// each member's outcome. Retries happen before a failure counts.
import {
  applyCanvas,
  type CanvasFailure,
  chain,
  chord,
  group,
  type MemberOutcome,
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

describe.each(STACK_KINDS)('failure strategies on %s', (kind) => {
  it('fail-fast revokes the running and pending siblings and runs the error link, not the callback', async () => {
    const stack = await openCanvasStack(kind);
    const tasks = createCanvasTasks();
    const failures: CanvasFailure[] = [];
    const onFailure = defineTask({
      name: 'canvas.on-failure',
      run: (failure: CanvasFailure) => void failures.push(failure),
    });
    // One slot per running member at most: 2 run, the rest wait in the queue.
    await stack.startWorker([...allTasks(tasks), onFailure], { concurrency: 2 });
    const header = group([
      signature(tasks.slow, 10_000),
      signature(tasks.fails, 'first'),
      ...Array.from({ length: 6 }, () => signature(tasks.slow, 10_000)),
    ]);
    const canvas = chord(header, signature(tasks.collect)).onError(signature(onFailure));
    const result = await applyCanvas(stack.adapters, canvas);

    await expect(result.get({ timeoutMs: 8_000 })).rejects.toMatchObject({ code: 'TASK_FAILED' });
    await eventually('the error link ran', () => failures.length === 1, 8_000);
    const report = await result.report();
    await eventually(
      'every member settled',
      async () =>
        (await result.report()).members.every(
          (m) => m.status !== 'PENDING' && m.status !== 'STARTED',
        ),
      8_000,
    );
    const settled = await result.report();
    expect(report.outcome).toBe('FAILURE');
    expect(settled.failedTaskId).toBe(`${result.id}:1`);
    expect(settled.members[1]).toMatchObject({ status: 'FAILURE', attempts: 1 });
    expect(settled.members.filter((member) => member.status === 'REVOKED')).toHaveLength(7);
    expect(failures[0]).toMatchObject({ failedTaskId: `${result.id}:1`, groupId: result.id });
    // The slow member that was running was aborted, not waited for (10 s).
    expect(tasks.log.runs.get('canvas.collect')).toBeUndefined();
    expect((tasks.log.runs.get('canvas.slow') ?? []).length).toBeLessThanOrEqual(2);
  });

  it('continue lets every member finish and gives the callback results and errors', async () => {
    const stack = await openCanvasStack(kind);
    const tasks = createCanvasTasks();
    await stack.startWorker(allTasks(tasks));
    const header = group(
      [signature(tasks.double, 1), signature(tasks.fails, 'second'), signature(tasks.double, 3)],
      { strategy: 'continue' },
    );
    const result = await applyCanvas(stack.adapters, chord(header, signature(tasks.collect)));
    const outcomes = (await result.get({ timeoutMs: 5_000 })) as MemberOutcome<number>[];
    expect(outcomes).toMatchObject([
      { status: 'SUCCESS', value: 2 },
      { status: 'FAILURE', error: { message: 'boom: second' } },
      { status: 'SUCCESS', value: 6 },
    ]);
    expect(tasks.log.runs.get('canvas.collect')).toHaveLength(1);
    const report = await result.report();
    expect(report.outcome).toBe('COMPLETED_WITH_ERRORS');
    expect(report.members.map((member) => member.status)).toEqual([
      'SUCCESS',
      'FAILURE',
      'SUCCESS',
    ]);
  });

  it('retries a member before its failure counts and reports its attempts', async () => {
    const stack = await openCanvasStack(kind);
    const tasks = createCanvasTasks();
    await stack.startWorker(allTasks(tasks));
    const canvas = chord(
      group([signature(tasks.flaky, 7), signature(tasks.double, 1)]),
      signature(tasks.collect),
    );
    const result = await applyCanvas(stack.adapters, canvas);
    await expect(result.get({ timeoutMs: 5_000 })).resolves.toEqual([7, 2]);
    const report = await result.report();
    expect(report.outcome).toBe('SUCCESS');
    expect(report.members[0]).toMatchObject({ status: 'SUCCESS', attempts: 3 });
    expect(report.members[0]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(report.members[1]).toMatchObject({ status: 'SUCCESS', attempts: 1 });
  });

  it('a failed chain step skips the rest and fails the chain result', async () => {
    const stack = await openCanvasStack(kind);
    const tasks = createCanvasTasks();
    await stack.startWorker(allTasks(tasks));
    const canvas = chain(
      signature(tasks.fails, 'step one'),
      signature(tasks.double),
      signature(tasks.format),
    );
    const result = await applyCanvas(stack.adapters, canvas);
    await expect(result.get({ timeoutMs: 5_000 })).rejects.toMatchObject({ code: 'TASK_FAILED' });
    expect(tasks.log.runs.get('canvas.double')).toBeUndefined();
    const report = await result.report();
    expect(report.outcome).toBe('FAILURE');
    expect(report.members.map((member) => member.status)).toEqual([
      'FAILURE',
      'PENDING',
      'FAILURE',
    ]);
  });

  it('revoking a canvas revokes its pending tasks', async () => {
    const stack = await openCanvasStack(kind);
    const tasks = createCanvasTasks();
    const canvas = chord(map(tasks.double, [1, 2, 3]), signature(tasks.sum));
    const result = await applyCanvas(stack.adapters, canvas);
    await result.revoke({ reason: 'changed my mind' });
    await stack.startWorker(allTasks(tasks));
    await expect(result.get({ timeoutMs: 5_000 })).rejects.toMatchObject({
      code: expect.stringMatching(/TASK_REVOKED|TASK_FAILED/),
    });
    expect(tasks.log.runs.get('canvas.double')).toBeUndefined();
    expect(tasks.log.runs.get('canvas.sum')).toBeUndefined();
    await result.forget();
    expect(await result.status()).toBe('PENDING');
  });
});
