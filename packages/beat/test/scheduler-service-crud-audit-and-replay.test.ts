// SchedulerService: bad specs refused with SCHEDULE_INVALID, stale updates with
// VERSION_CONFLICT, enable/disable kept as audit lines, explain, run-now, idempotent
// backfill, replay, and a JSON export/import round trip.

import { SchedulerService } from '@stem/beat';
import { hasErrorCode } from '@stem/core';
import { expect, it } from 'vitest';
import { at, createBeatStack } from './support/beat-stack';

const T0 = at('2030-01-01T00:00:30Z');

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

it('refuses every bad entry with SCHEDULE_INVALID before storing anything', async () => {
  const { service } = createBeatStack(T0);
  const bad = [
    { spec: { kind: 'cron', expression: '61 * * * *' } },
    { spec: { kind: 'interval', everyMs: 10 } },
    { spec: { kind: 'cron', expression: '* * * * *' }, timezone: 'America/New_Yrok' },
    {
      spec: { kind: 'cron', expression: '* * * * *' },
      missedRunPolicy: { kind: 'all', maxRuns: 0 },
    },
    { spec: { kind: 'cron', expression: '* * * * *' }, overlapPolicy: 'sometimes' },
    { spec: { kind: 'cron', expression: '* * * * *' }, jitterMs: -1 },
    { spec: { kind: 'clocked', runAt: 'tomorrow' } },
  ];
  for (const fields of bad) {
    const input = { id: 'bad', taskName: 't', ...fields } as never;
    expect(await codeOf(service.create(input)), JSON.stringify(fields)).toBe('SCHEDULE_INVALID');
  }
  expect(await service.list()).toEqual([]);
  await service.create({
    id: 'good',
    taskName: 't',
    spec: { kind: 'cron', expression: '* * * * *' },
  });
  const refused = service.update('good', { spec: { kind: 'cron', expression: 'every day' } });
  expect(await codeOf(refused)).toBe('SCHEDULE_INVALID');
});

it('versions updates, audits toggles, explains, runs now, backfills once and replays', async () => {
  const stack = createBeatStack(T0);
  const { service } = stack;
  const created = await service.create({
    id: 'hourly',
    taskName: 'report',
    spec: { kind: 'cron', expression: '0 * * * *' },
    args: { scope: 'all' },
  });
  expect(created.nextRunAt).toBe(at('2030-01-01T01:00:00Z'));
  const edited = await service.update(
    'hourly',
    { spec: { kind: 'cron', expression: '30 * * * *' } },
    { expectedVersion: created.version },
  );
  expect(edited.nextRunAt).toBe(at('2030-01-01T00:30:00Z'));
  const stale = service.update(
    'hourly',
    { args: { scope: 'none' } },
    { expectedVersion: created.version },
  );
  expect(await codeOf(stale)).toBe('VERSION_CONFLICT');
  expect(await codeOf(service.delete('hourly', { expectedVersion: created.version }))).toBe(
    'VERSION_CONFLICT',
  );

  const disabled = await service.disable('hourly', { reason: 'alice: maintenance' });
  expect(disabled.enabled).toBe(false);
  expect(disabled.nextRunAt).toBeUndefined();
  const enabled = await service.enable('hourly', { reason: 'alice: done' });
  expect(enabled.nextRunAt).toBe(at('2030-01-01T00:30:00Z'));
  expect((await service.history('hourly')).map((run) => [run.status, run.note])).toEqual([
    ['enabled', 'alice: done'],
    ['disabled', 'alice: maintenance'],
  ]);
  expect(await service.explain('hourly', 3)).toEqual([
    at('2030-01-01T00:30:00Z'),
    at('2030-01-01T01:30:00Z'),
    at('2030-01-01T02:30:00Z'),
  ]);

  const runNowId = await service.runNow('hourly');
  expect(stack.published.map((envelope) => envelope.id)).toEqual([runNowId]);

  stack.clock.set(at('2030-01-01T05:00:00Z'));
  const backfilled = await service.backfill(
    'hourly',
    at('2030-01-01T01:00:00Z'),
    at('2030-01-01T04:00:00Z'),
  );
  expect(backfilled).toHaveLength(3);
  expect(
    await service.backfill('hourly', at('2030-01-01T01:00:00Z'), at('2030-01-01T04:00:00Z')),
  ).toEqual([]);
  const replayId = await service.replay(`hourly@${at('2030-01-01T02:30:00Z')}`, {
    reason: 'api fixed',
  });
  expect(stack.published.at(-1)?.id).toBe(replayId);
  expect(stack.published.at(-1)?.args).toEqual({ scope: 'all' });
  const notes = (await service.history('hourly', 3)).map((run) => run.note);
  expect(notes[0]).toBe(`replay of hourly@${at('2030-01-01T02:30:00Z')}: api fixed`);
  expect(notes[1]).toBe('backfill');
});

it('exports config without runtime state and imports it into another store', async () => {
  const source = createBeatStack(T0);
  await source.service.create({
    id: 'a',
    taskName: 't',
    spec: { kind: 'interval', everyMs: 5_000 },
    missedRunPolicy: { kind: 'window', windowMs: 60_000 },
    jitterMs: 100,
  });
  await source.service.create({
    id: 'b',
    taskName: 't',
    spec: { kind: 'solar', event: 'sunrise', latitude: 51.5, longitude: -0.1 },
    timezone: 'Europe/London',
    overlapPolicy: 'queue-one',
  });
  const json = await source.service.export();
  expect(json).not.toContain('nextRunAt');
  const target = createBeatStack(T0);
  expect(await target.service.import(json)).toEqual({ created: 2, updated: 0, unchanged: 0 });
  expect(await target.service.import(json)).toEqual({ created: 0, updated: 0, unchanged: 2 });
  const copied = await target.service.get('b');
  expect(copied?.overlapPolicy).toBe('queue-one');
  expect(copied?.nextRunAt).toBeDefined();
  const broken = json.replace('"sunrise"', '"moonrise"');
  const other = new SchedulerService({ store: createBeatStack(T0).store });
  let error: unknown;
  await other.import(broken).catch((caught: unknown) => {
    error = caught;
  });
  expect(hasErrorCode(error, 'SCHEDULE_INVALID')).toBe(true);
  expect(await other.list()).toEqual([]);
});
