// A beat fires every-minute entries at 00:01, is down for ten and a half minutes, and
// restarts at 00:11:40 (00:02 … 00:11 overdue, all older than the 30 s misfire grace).
// Each recovery policy fires and records exactly what it says; the next run is 00:12.
import type { MissedRunPolicy } from '@stem/core';
import { expect, it } from 'vitest';
import { at, createBeatStack } from './support/beat-stack';

const MINUTE = 60_000;
const policies: Record<string, MissedRunPolicy> = {
  'all-5': { kind: 'all', maxRuns: 5 },
  latest: { kind: 'latest' },
  skip: { kind: 'skip' },
  'window-3m': { kind: 'window', windowMs: 3 * MINUTE },
};

it('each recovery policy fires and records what it says after 10 minutes down', async () => {
  const stack = createBeatStack(at('2030-01-01T00:00:30Z'));
  for (const [id, missedRunPolicy] of Object.entries(policies)) {
    await stack.service.create({
      id,
      taskName: 'report',
      spec: { kind: 'cron', expression: '* * * * *' },
      missedRunPolicy,
    });
  }
  const beat = stack.newBeat();
  stack.clock.set(at('2030-01-01T00:01:00Z'));
  await beat.tick();
  for (const id of Object.keys(policies)) {
    expect(stack.firedFor(id)).toEqual([at('2030-01-01T00:01:00Z')]);
  }

  stack.clock.set(at('2030-01-01T00:11:40Z'));
  await beat.tick();
  const minute = (m: number) => at('2030-01-01T00:00:00Z') + m * MINUTE;
  const range = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => minute(from + i));
  const expected: Record<string, { fired: number[]; missed: number[] }> = {
    'all-5': { fired: range(7, 11), missed: range(2, 6) },
    latest: { fired: [minute(11)], missed: range(2, 10) },
    skip: { fired: [], missed: range(2, 11) },
    'window-3m': { fired: range(9, 11), missed: range(2, 8) },
  };
  for (const [id, { fired, missed }] of Object.entries(expected)) {
    expect(stack.firedFor(id), id).toEqual([minute(1), ...fired]);
    const history = await stack.service.history(id, 100);
    const missedLines = history
      .filter((run) => run.status === 'missed')
      .map((run) => run.scheduledAt);
    expect(
      missedLines.sort((a, b) => a - b),
      id,
    ).toEqual(missed);
    const entry = await stack.service.get(id);
    expect(entry?.nextRunAt, id).toBe(minute(12));
    expect(entry?.totalRunCount, id).toBe(1 + fired.length);
  }
  const metrics = beat.metrics();
  expect(metrics.fired).toBe(4 + 5 + 1 + 0 + 3);
  expect(metrics.missed).toBe(5 + 9 + 10 + 7);

  // Back on schedule: 00:12 fires once for every entry, nothing else.
  stack.clock.set(minute(12));
  await beat.tick();
  for (const id of Object.keys(policies)) expect(stack.firedFor(id).at(-1), id).toBe(minute(12));
});

it('a short stall within the misfire grace fires every overdue occurrence, whatever the policy', async () => {
  const stack = createBeatStack(at('2030-01-01T00:00:00.500Z'));
  await stack.service.create({
    id: 'every-second',
    taskName: 'tick',
    spec: { kind: 'cron', expression: '* * * * * *' },
    missedRunPolicy: { kind: 'skip' },
  });
  const beat = stack.newBeat();
  stack.clock.set(at('2030-01-01T00:00:07.200Z'));
  await beat.tick();
  expect(stack.firedFor('every-second')).toEqual(
    Array.from({ length: 7 }, (_, i) => at('2030-01-01T00:00:01Z') + i * 1000),
  );
  expect(beat.metrics().missed).toBe(0);
});
