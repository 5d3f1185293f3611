import type { ScheduleSpec } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { nextOccurrences } from '../src/index';

/** Hand-checked occurrences in UTC, as ISO strings. */
function utc(spec: ScheduleSpec, afterIso: string, count: number): string[] {
  return nextOccurrences(spec, { after: Date.parse(afterIso), timezone: 'UTC' }, count).map((ms) =>
    new Date(ms).toISOString().slice(0, 19),
  );
}
const cron = (expression: string, dayMatch?: 'or' | 'and'): ScheduleSpec => ({
  kind: 'cron',
  expression,
  ...(dayMatch ? { dayMatch } : {}),
});

describe('cron and calendar specs fire on the dates the calendar really has', () => {
  it('restarts a */7 day step at day 1 of each month (cron steps are not "every 7 days")', () => {
    expect(utc(cron('0 0 */7 * *'), '2024-01-29T00:00:00Z', 4)).toEqual([
      '2024-02-01T00:00:00',
      '2024-02-08T00:00:00',
      '2024-02-15T00:00:00',
      '2024-02-22T00:00:00',
    ]);
    // Day 29 exists in February 2024 (leap year), not in February 2023.
    expect(utc(cron('0 0 */7 * *'), '2024-02-22T00:00:00Z', 2)).toEqual([
      '2024-02-29T00:00:00',
      '2024-03-01T00:00:00',
    ]);
    expect(utc(cron('0 0 */7 * *'), '2023-02-22T00:00:00Z', 1)).toEqual(['2023-03-01T00:00:00']);
  });

  it('skips months without the day rather than rolling into the next month', () => {
    expect(utc(cron('0 0 31 * *'), '2024-01-31T00:00:00Z', 3)).toEqual([
      '2024-03-31T00:00:00',
      '2024-05-31T00:00:00',
      '2024-07-31T00:00:00',
    ]);
    expect(
      utc(
        { kind: 'calendar', monthDays: [30], hours: [6], minutes: [0] },
        '2024-01-30T07:00:00Z',
        2,
      ),
    ).toEqual(['2024-03-30T06:00:00', '2024-04-30T06:00:00']);
  });

  it('fires on Feb 29 only in leap years, and 2100 is not one', () => {
    expect(utc(cron('0 0 29 2 *'), '2024-03-01T00:00:00Z', 2)).toEqual([
      '2028-02-29T00:00:00',
      '2032-02-29T00:00:00',
    ]);
    expect(utc(cron('0 0 29 2 *'), '2097-01-01T00:00:00Z', 1)).toEqual(['2104-02-29T00:00:00']);
    expect(
      utc(
        { kind: 'calendar', months: [2], monthDays: [29], hours: [0], minutes: [0] },
        '2097-01-01T00:00:00Z',
        1,
      ),
    ).toEqual(['2104-02-29T00:00:00']);
  });

  it('ORs day-of-month and day-of-week by default and ANDs them on request', () => {
    // Sep 2024: the 13th is a Friday; Fridays are 6, 13, 20, 27.
    expect(utc(cron('0 0 13 * fri'), '2024-09-01T00:00:00Z', 4)).toEqual([
      '2024-09-06T00:00:00',
      '2024-09-13T00:00:00',
      '2024-09-20T00:00:00',
      '2024-09-27T00:00:00',
    ]);
    expect(utc(cron('0 0 13 * fri', 'and'), '2024-09-01T00:00:00Z', 2)).toEqual([
      '2024-09-13T00:00:00',
      '2024-12-13T00:00:00',
    ]);
    // A rare AND is found, not looped on: Feb 29 falls on a Monday in 2044, then 2072.
    expect(utc(cron('0 0 29 2 mon', 'and'), '2017-01-01T00:00:00Z', 2)).toEqual([
      '2044-02-29T00:00:00',
      '2072-02-29T00:00:00',
    ]);
  });

  it('treats a day field that allows every value as unrestricted, however it is written', () => {
    const everyMonday = ['2024-04-01T00:00:00', '2024-04-08T00:00:00'];
    expect(utc(cron('0 0 * * mon'), '2024-03-31T00:00:00Z', 2)).toEqual(everyMonday);
    expect(utc(cron('0 0 1-31 * mon'), '2024-03-31T00:00:00Z', 2)).toEqual(everyMonday);
    expect(utc(cron('0 0 ? * MON'), '2024-03-31T00:00:00Z', 2)).toEqual(everyMonday);
    // */2 does not allow every day, so it is restricted and ORs with Monday (Vixie cron would AND).
    expect(utc(cron('0 0 */2 * mon'), '2024-04-01T00:00:00Z', 3)).toEqual([
      '2024-04-03T00:00:00',
      '2024-04-05T00:00:00',
      '2024-04-07T00:00:00',
    ]);
  });

  it('reads names, aliases, Sunday as 0 or 7, and a seconds field', () => {
    expect(utc(cron('0 9 * jan-mar mon-fri'), '2024-03-29T10:00:00Z', 1)).toEqual([
      '2025-01-01T09:00:00',
    ]);
    expect(utc(cron('0 0 * * 7'), '2024-01-30T00:00:00Z', 1)).toEqual(
      utc(cron('0 0 * * 0'), '2024-01-30T00:00:00Z', 1),
    );
    expect(utc(cron('@midnight'), '2024-01-30T12:00:00Z', 1)).toEqual(['2024-01-31T00:00:00']);
    expect(utc(cron('@weekly'), '2024-01-30T12:00:00Z', 1)).toEqual(['2024-02-04T00:00:00']);
    expect(utc(cron('@MONTHLY'), '2024-01-30T12:00:00Z', 1)).toEqual(['2024-02-01T00:00:00']);
    expect(utc(cron('@annually'), '2024-01-30T12:00:00Z', 1)).toEqual(['2025-01-01T00:00:00']);
    expect(utc(cron('@hourly'), '2024-01-30T12:00:00Z', 1)).toEqual(['2024-01-30T13:00:00']);
    expect(utc(cron('15,45 * * * * *'), '2024-01-30T12:00:00Z', 3)).toEqual([
      '2024-01-30T12:00:15',
      '2024-01-30T12:00:45',
      '2024-01-30T12:01:15',
    ]);
  });

  it('fires strictly after `after`', () => {
    expect(utc(cron('0 12 * * *'), '2024-01-30T12:00:00Z', 1)).toEqual(['2024-01-31T12:00:00']);
    expect(utc(cron('0 12 * * *'), '2024-01-30T11:59:59.999Z', 1)).toEqual(['2024-01-30T12:00:00']);
  });
});
