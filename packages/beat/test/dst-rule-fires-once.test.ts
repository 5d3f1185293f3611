import type { ScheduleSpec } from '@stem/core';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { type AmbiguousTimeRule, nextOccurrences } from '../src/index';

/** Hand-checked: the occurrences of `spec` after `afterLocal`, as local ISO strings. */
function fires(
  spec: ScheduleSpec,
  zone: string,
  afterLocal: string,
  count: number,
  ambiguousTime?: AmbiguousTimeRule,
) {
  const after = DateTime.fromISO(afterLocal, { zone }).toMillis();
  return nextOccurrences(
    spec,
    { after, timezone: zone, ...(ambiguousTime ? { ambiguousTime } : {}) },
    count,
  ).map((ms) => DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }));
}
const cron = (expression: string): ScheduleSpec => ({ kind: 'cron', expression });

describe('a daily job at a wall time DST skips or repeats fires exactly once that day', () => {
  const table: [string, string, string, string, string[]][] = [
    // zone, expression, after, rule, expected
    [
      'America/New_York',
      '30 2 * * *',
      '2024-03-09T12:00',
      'earlier',
      ['2024-03-10T03:00:00-04:00', '2024-03-11T02:30:00-04:00'],
    ],
    [
      'America/New_York',
      '30 1 * * *',
      '2024-11-02T12:00',
      'earlier',
      ['2024-11-03T01:30:00-04:00', '2024-11-04T01:30:00-05:00'],
    ],
    [
      'America/New_York',
      '30 1 * * *',
      '2024-11-02T12:00',
      'later',
      ['2024-11-03T01:30:00-05:00', '2024-11-04T01:30:00-05:00'],
    ],
    [
      'America/New_York',
      '30 1 * * *',
      '2024-11-02T12:00',
      'both',
      ['2024-11-03T01:30:00-04:00', '2024-11-03T01:30:00-05:00'],
    ],
    [
      'Europe/London',
      '30 1 * * *',
      '2024-03-30T12:00',
      'earlier',
      ['2024-03-31T02:00:00+01:00', '2024-04-01T01:30:00+01:00'],
    ],
    [
      'Europe/London',
      '30 1 * * *',
      '2024-10-26T12:00',
      'earlier',
      ['2024-10-27T01:30:00+01:00', '2024-10-28T01:30:00+00:00'],
    ],
    [
      'Europe/London',
      '30 1 * * *',
      '2024-10-26T12:00',
      'later',
      ['2024-10-27T01:30:00+00:00', '2024-10-28T01:30:00+00:00'],
    ],
    // Lord Howe moves by 30 minutes: 02:00 -> 02:30 in October, 02:00 -> 01:30 in April.
    [
      'Australia/Lord_Howe',
      '15 2 * * *',
      '2024-10-05T12:00',
      'earlier',
      ['2024-10-06T02:30:00+11:00', '2024-10-07T02:15:00+11:00'],
    ],
    [
      'Australia/Lord_Howe',
      '45 1 * * *',
      '2024-04-06T12:00',
      'earlier',
      ['2024-04-07T01:45:00+11:00', '2024-04-08T01:45:00+10:30'],
    ],
    [
      'Australia/Lord_Howe',
      '45 1 * * *',
      '2024-04-06T12:00',
      'later',
      ['2024-04-07T01:45:00+10:30', '2024-04-08T01:45:00+10:30'],
    ],
    // Kathmandu: +05:45 without DST, and the jump from +05:30 at 1986-01-01 00:00.
    [
      'Asia/Kathmandu',
      '0 9 * * *',
      '2024-03-09T12:00',
      'earlier',
      ['2024-03-10T09:00:00+05:45', '2024-03-11T09:00:00+05:45'],
    ],
    [
      'Asia/Kathmandu',
      '5 0 * * *',
      '1985-12-31T12:00',
      'earlier',
      ['1986-01-01T00:15:00+05:45', '1986-01-02T00:05:00+05:45'],
    ],
  ];
  for (const [zone, expression, after, rule, expected] of table) {
    it(`${expression} in ${zone} after ${after} (${rule})`, () => {
      expect(
        fires(cron(expression), zone, after, expected.length, rule as AmbiguousTimeRule),
      ).toEqual(expected);
    });
  }

  it('collapses every wall time inside a gap into one fire at the end of the gap', () => {
    expect(fires(cron('*/15 2 * * *'), 'America/New_York', '2024-03-10T00:00', 3)).toEqual([
      '2024-03-10T03:00:00-04:00',
      '2024-03-11T02:00:00-04:00',
      '2024-03-11T02:15:00-04:00',
    ]);
  });

  it('fires each repeated wall time once by default, and twice with "both"', () => {
    const after = '2024-11-03T00:50';
    expect(fires(cron('*/20 1 * * *'), 'America/New_York', after, 4)).toEqual([
      '2024-11-03T01:00:00-04:00',
      '2024-11-03T01:20:00-04:00',
      '2024-11-03T01:40:00-04:00',
      '2024-11-04T01:00:00-05:00',
    ]);
    expect(fires(cron('*/20 1 * * *'), 'America/New_York', after, 7, 'both')).toEqual([
      '2024-11-03T01:00:00-04:00',
      '2024-11-03T01:20:00-04:00',
      '2024-11-03T01:40:00-04:00',
      '2024-11-03T01:00:00-05:00',
      '2024-11-03T01:20:00-05:00',
      '2024-11-03T01:40:00-05:00',
      '2024-11-04T01:00:00-05:00',
    ]);
  });

  it('resumes correctly when asked from inside the repeated hour', () => {
    // 01:10 EST is in the second pass: under "earlier" the 01:20 and 01:40 fired in the first.
    const inSecondPass = DateTime.fromISO('2024-11-03T01:10:00-05:00').toMillis();
    const next = (ambiguousTime: AmbiguousTimeRule) =>
      nextOccurrences(
        cron('*/20 * * * *'),
        { after: inSecondPass, timezone: 'America/New_York', ambiguousTime },
        2,
      ).map((ms) =>
        DateTime.fromMillis(ms, { zone: 'America/New_York' }).toISO({ suppressMilliseconds: true }),
      );
    expect(next('earlier')).toEqual(['2024-11-03T02:00:00-05:00', '2024-11-03T02:20:00-05:00']);
    expect(next('later')).toEqual(['2024-11-03T01:20:00-05:00', '2024-11-03T01:40:00-05:00']);
    // 01:10 EDT is in the first pass: under "later" the whole repeated hour is still ahead.
    const inFirstPass = DateTime.fromISO('2024-11-03T01:10:00-04:00').toMillis();
    const later = nextOccurrences(
      cron('0 * * * *'),
      { after: inFirstPass, timezone: 'America/New_York', ambiguousTime: 'later' },
      2,
    );
    expect(later.map((ms) => new Date(ms).toISOString())).toEqual([
      '2024-11-03T06:00:00.000Z',
      '2024-11-03T07:00:00.000Z',
    ]);
  });

  it('applies the same rule to calendar specs', () => {
    const spec: ScheduleSpec = { kind: 'calendar', hours: [2], minutes: [30] };
    expect(fires(spec, 'America/New_York', '2024-03-09T12:00', 2)).toEqual([
      '2024-03-10T03:00:00-04:00',
      '2024-03-11T02:30:00-04:00',
    ]);
    const london: ScheduleSpec = { kind: 'calendar', hours: [1], minutes: [30] };
    expect(fires(london, 'Europe/London', '2024-03-30T12:00', 1)).toEqual([
      '2024-03-31T02:00:00+01:00',
    ]);
  });

  it('keeps intervals in real time across DST (24 h is 24 hours, not the same wall time)', () => {
    const startAt = DateTime.fromISO('2024-03-09T12:00', { zone: 'America/New_York' }).toMillis();
    expect(
      fires(
        { kind: 'interval', everyMs: 86_400_000, startAt },
        'America/New_York',
        '2024-03-09T12:00',
        2,
      ),
    ).toEqual(['2024-03-10T13:00:00-04:00', '2024-03-11T13:00:00-04:00']);
  });
});
