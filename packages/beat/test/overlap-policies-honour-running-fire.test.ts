// Three every-minute entries (allow, skip, queue-one) fire at 00:01; their tasks stay
// STARTED until 00:03:30. allow fires every minute; skip records 00:02 and 00:03 as
// skipped; queue-one holds 00:02 until the run finished, fires it at 00:03:40 and skips
// 00:03 (due while the run still ran). Afterwards all fire on schedule again.
import { InMemoryBroker, type OverlapPolicy, Stem, type TaskStatus } from '@stem/core';
import { expect, it } from 'vitest';
import { at, createBeatStack } from './support/beat-stack';

const minute = (m: number, s = 0) => at('2030-01-01T00:00:00Z') + m * 60_000 + s * 1000;
const POLICIES: OverlapPolicy[] = ['allow', 'skip', 'queue-one'];

it('skip, allow and queue-one do what they say while the previous fire still runs', async () => {
  const stack = createBeatStack(minute(0, 30));
  for (const overlapPolicy of POLICIES) {
    await stack.service.create({
      id: overlapPolicy,
      taskName: 'slow',
      spec: { kind: 'cron', expression: '* * * * *' },
      overlapPolicy,
    });
  }
  const beat = stack.newBeat({ overlapPollMs: 5_000 });
  const setStatus = async (entryId: string, status: TaskStatus, finishedAt?: number) => {
    const entry = await stack.service.get(entryId);
    await stack.resultBackend.set({
      taskId: entry!.lastTaskId!,
      status,
      meta: finishedAt === undefined ? {} : { finishedAt },
      updatedAt: stack.clock.now(),
    });
  };
  stack.clock.set(minute(1));
  await beat.tick();
  for (const policy of POLICIES) await setStatus(policy, 'STARTED');

  stack.clock.set(minute(2));
  await beat.tick();
  stack.clock.set(minute(3));
  await beat.tick();
  expect(stack.firedFor('allow')).toEqual([minute(1), minute(2), minute(3)]);
  expect(stack.firedFor('skip')).toEqual([minute(1)]);
  expect(stack.firedFor('queue-one')).toEqual([minute(1)]);
  expect((await stack.service.get('queue-one'))?.nextRunAt).toBe(minute(2));
  expect(beat.metrics().queued).toBe(1);

  await setStatus('skip', 'SUCCESS', minute(3, 30));
  await setStatus('queue-one', 'SUCCESS', minute(3, 30));
  stack.clock.set(minute(3, 40));
  await beat.tick();
  expect(stack.firedFor('queue-one')).toEqual([minute(1), minute(2)]);
  expect((await stack.service.get('queue-one'))?.nextRunAt).toBe(minute(4));

  stack.clock.set(minute(4));
  await beat.tick();
  expect(stack.firedFor('skip')).toEqual([minute(1), minute(4)]);
  // queue-one's 00:02 fire is queued (no result yet): 00:04 waits behind it.
  expect(stack.firedFor('queue-one')).toEqual([minute(1), minute(2)]);
  await setStatus('queue-one', 'SUCCESS', minute(4, 10));
  stack.clock.set(minute(4, 15));
  await beat.tick();
  expect(stack.firedFor('queue-one')).toEqual([minute(1), minute(2), minute(4)]);

  const statuses = async (id: string) =>
    (await stack.service.history(id, 50))
      .map((run) => `${run.status}@${(run.scheduledAt - minute(0)) / 60_000}`)
      .sort();
  expect(await statuses('skip')).toEqual(['fired@1', 'fired@4', 'skipped@2', 'skipped@3']);
  expect(await statuses('queue-one')).toEqual(['fired@1', 'fired@2', 'fired@4', 'skipped@3']);
  expect(beat.metrics().skipped).toBe(3);
});

it('without a result backend, skip fires as allow and warns in the log', async () => {
  const stack = createBeatStack(minute(0, 30));
  await stack.service.create({
    id: 'blind',
    taskName: 'slow',
    spec: { kind: 'cron', expression: '* * * * *' },
    overlapPolicy: 'skip',
  });
  const published: string[] = [];
  const stem = new Stem({
    broker: new InMemoryBroker(),
    middleware: [
      {
        name: 'record',
        publish: async (e, next) => {
          published.push(e.id);
          await next(e);
        },
      },
    ],
  });
  const beat = stack.newBeat({ stem });
  for (const m of [1, 2, 3]) {
    stack.clock.set(minute(m));
    await beat.tick();
  }
  expect(published).toHaveLength(3);
  const warnings = stack.logs.filter((line) => line.message.startsWith('overlap policy needs'));
  expect(warnings.length).toBe(2);
});
