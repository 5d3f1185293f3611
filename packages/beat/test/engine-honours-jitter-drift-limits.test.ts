// The engine's per-entry rules with a controllable clock: deterministic jitter delays
// the fire and is recorded; a late fire logs a drift warning and takes the next run
// from the schedule; maxRuns, expireAt and startAt bound the fires; disabled entries
// never fire; an event-triggered drip fires 7 times and stops.
import { deterministicJitterMs, recurringEntry, ScheduleEventTriggers } from '@stem/beat';
import { expect, it } from 'vitest';
import { at, createBeatStack } from './support/beat-stack';

const T0 = at('2030-01-01T00:00:00Z');

it('applies and records deterministic jitter', async () => {
  const stack = createBeatStack(T0 + 30_000);
  await stack.service.create({
    id: 'jittered',
    taskName: 'report',
    spec: { kind: 'cron', expression: '* * * * *' },
    jitterMs: 20_000,
    jitterMode: 'deterministic',
  });
  const jitter = deterministicJitterMs('jittered', T0 + 60_000, 20_000);
  expect(jitter).toBeGreaterThan(0);
  const beat = stack.newBeat();
  stack.clock.set(T0 + 60_000);
  const report = await beat.tick();
  expect(stack.published).toHaveLength(0);
  expect(report.wakeAt).toBe(T0 + 60_000 + jitter);
  stack.clock.set(report.wakeAt);
  await beat.tick();
  expect(stack.firedFor('jittered')).toEqual([T0 + 60_000]);
  const entry = await stack.service.get('jittered');
  expect(entry?.lastJitterMs).toBe(jitter);
  expect(entry?.driftMs).toBe(0);
});

it('warns on drift and computes the next run from the schedule, not the late time', async () => {
  const stack = createBeatStack(T0 + 30_000);
  await stack.service.create({
    id: 'late',
    taskName: 'report',
    spec: { kind: 'cron', expression: '* * * * *' },
  });
  const beat = stack.newBeat({ driftWarnMs: 1_000 });
  stack.clock.set(T0 + 60_000 + 7_250);
  await beat.tick();
  const entry = await stack.service.get('late');
  expect(entry?.driftMs).toBe(7_250);
  expect(entry?.nextRunAt).toBe(T0 + 120_000);
  expect(beat.metrics().driftCorrections).toBe(1);
  expect(stack.logs.some((line) => line.level === 'warn' && line.fields.driftMs === 7_250)).toBe(
    true,
  );
});

it('honours maxRuns, expireAt, startAt and disabled', async () => {
  const stack = createBeatStack(T0 + 500);
  const everySecond = { kind: 'cron' as const, expression: '* * * * * *' };
  await stack.service.create({ id: 'max-3', taskName: 't', spec: everySecond, maxRuns: 3 });
  await stack.service.create({
    id: 'expires',
    taskName: 't',
    spec: everySecond,
    expireAt: T0 + 4_000,
  });
  await stack.service.create({
    id: 'starts',
    taskName: 't',
    spec: everySecond,
    startAt: T0 + 8_000,
  });
  await stack.service.create({ id: 'off', taskName: 't', spec: everySecond, enabled: false });
  const beat = stack.newBeat();
  for (let second = 1; second <= 10; second += 1) {
    stack.clock.set(T0 + second * 1000);
    await beat.tick();
  }
  const seconds = (id: string) => stack.firedFor(id).map((instant) => (instant - T0) / 1000);
  expect(seconds('max-3')).toEqual([1, 2, 3]);
  expect(seconds('expires')).toEqual([1, 2, 3]);
  expect(seconds('starts')).toEqual([8, 9, 10]);
  expect(seconds('off')).toEqual([]);
  expect((await stack.service.get('max-3'))?.nextRunAt).toBeUndefined();
  expect(await stack.service.explain('max-3', 3)).toEqual([]);
});

it('an event creates a 7-day drip that fires 7 times and stops; the same event twice creates it once', async () => {
  const stack = createBeatStack(T0);
  const triggers = new ScheduleEventTriggers(stack.service);
  triggers.onEvent('user:signup', (payload) => {
    const { userId } = payload as { userId: string };
    return recurringEntry(
      `drip-${userId}`,
      'send-drip-email',
      { userId },
      { kind: 'cron', expression: '0 10 * * *' },
      { maxRuns: 7, timezone: 'America/New_York', startAt: T0 + 86_400_000 },
    );
  });
  await triggers.publish('user:signup', { userId: 'u1' });
  await triggers.publish('user:signup', { userId: 'u1' });
  expect(await stack.service.list()).toHaveLength(1);
  const beat = stack.newBeat();
  for (let hour = 1; hour <= 24 * 12; hour += 1) {
    stack.clock.set(T0 + hour * 3_600_000);
    await beat.tick();
  }
  const fires = stack.firedFor('drip-u1');
  expect(fires).toHaveLength(7);
  // 10:00 in New York (UTC-5 in January) on 7 consecutive days from Jan 2.
  expect(fires[0]).toBe(at('2030-01-02T15:00:00Z'));
  expect(fires[6]).toBe(at('2030-01-08T15:00:00Z'));
  expect(stack.published[0]!.args).toEqual({ userId: 'u1' });
});
