// A beat claims an occurrence and dies before publishing it (a claim made directly,
// never published). Three beats' reapers race once the claim is older than the grace
// period: exactly one publishes it, with the occurrence's deterministic task id, and the
// entry moves past it. A reaper pass before the grace period publishes nothing.

import { occurrenceTaskId } from '@stem/beat';
import { occurrenceId } from '@stem/core';
import { expect, it } from 'vitest';
import { at, createBeatStack } from './support/beat-stack';

const GRACE_MS = 300;

it('reapers publish an orphaned occurrence exactly once, and only after the grace', async () => {
  const stack = createBeatStack(at('2030-01-01T00:00:30Z'));
  const entry = await stack.service.create({
    id: 'orphaned',
    taskName: 'report',
    spec: { kind: 'cron', expression: '* * * * *' },
  });
  const scheduledAt = entry.nextRunAt!;
  const claim = await stack.store.claimOccurrence({
    entryId: entry.id,
    scheduledAt,
    claimant: 'dead-beat',
    entryVersion: entry.version,
  });
  expect(claim.claimed).toBe(true);
  const beats = [1, 2, 3].map((n) =>
    stack.newBeat({ instanceId: `beat-${n}`, reaperGraceMs: GRACE_MS, publishBudgetMs: 100 }),
  );
  stack.clock.set(scheduledAt + 1_000);
  // The live beats cannot claim it: it is held.
  await Promise.all(beats.map((beat) => beat.tick()));
  expect(await Promise.all(beats.map((beat) => beat.reap()))).toEqual([0, 0, 0]);
  expect(stack.published).toHaveLength(0);

  await new Promise((resolve) => setTimeout(resolve, GRACE_MS + 50));
  const reaped = await Promise.all(beats.map((beat) => beat.reap()));
  expect(reaped.reduce((a, b) => a + b, 0)).toBe(1);
  expect(stack.published.map((envelope) => envelope.id)).toEqual([
    occurrenceTaskId(entry.id, scheduledAt),
  ]);
  expect(stack.published[0]!.idempotencyKey).toBe(occurrenceId(entry.id, scheduledAt));
  const after = await stack.service.get(entry.id);
  expect(after?.nextRunAt).toBe(scheduledAt + 60_000);
  expect(after?.totalRunCount).toBe(1);
  expect(await stack.store.listUnpublishedOccurrences(Number.MAX_SAFE_INTEGER)).toEqual([]);
  const history = await stack.service.history(entry.id);
  expect(history.map((run) => [run.status, run.note])).toEqual([
    ['fired', 'reaped from dead-beat'],
  ]);

  // Nothing left to reap, and the next occurrence fires normally, once.
  await new Promise((resolve) => setTimeout(resolve, GRACE_MS + 50));
  expect(await Promise.all(beats.map((beat) => beat.reap()))).toEqual([0, 0, 0]);
  stack.clock.set(scheduledAt + 60_000);
  await Promise.all(beats.map((beat) => beat.tick()));
  expect(stack.firedFor(entry.id)).toEqual([scheduledAt, scheduledAt + 60_000]);
});

it('a beat paused between claim and publish past its budget abandons the publish', async () => {
  const stack = createBeatStack(at('2030-01-01T00:00:30Z'));
  await stack.service.create({
    id: 'paused',
    taskName: 'report',
    spec: { kind: 'cron', expression: '* * * * *' },
  });
  // A budget of 0 ms: any time at all between claim and publish counts as a pause.
  const beat = stack.newBeat({ publishBudgetMs: 0, reaperGraceMs: GRACE_MS });
  stack.clock.set(at('2030-01-01T00:01:00Z'));
  await beat.tick();
  expect(stack.published).toHaveLength(0);
  expect(beat.metrics().abandoned).toBe(1);
  const orphans = await stack.store.listUnpublishedOccurrences(Number.MAX_SAFE_INTEGER);
  expect(orphans.map((claim) => claim.scheduledAt)).toEqual([at('2030-01-01T00:01:00Z')]);
});
