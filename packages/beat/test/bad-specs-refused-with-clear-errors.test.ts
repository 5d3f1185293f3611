import { type ScheduleSpec, toErrorRecord } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { nextOccurrence, type ScheduleSpecInvalidError, validateScheduleSpec } from '../src/index';

/** The error `validateScheduleSpec` throws for `spec`, checked to be a schedule error. */
function refusal(spec: unknown, timezone = 'UTC'): ScheduleSpecInvalidError {
  try {
    validateScheduleSpec(spec as ScheduleSpec, timezone);
  } catch (error) {
    expect((error as { code?: string }).code).toBe('SCHEDULE_INVALID');
    return error as ScheduleSpecInvalidError;
  }
  throw new Error(`accepted ${JSON.stringify(spec)}`);
}
const cron = (expression: string) => ({ kind: 'cron', expression });

describe('bad specs are refused with a clear error', () => {
  it('refuses cron expressions that can never fire, instead of searching forever', () => {
    expect(refusal(cron('0 0 30 2 *')).message).toContain(
      'can never fire: day-of-month 30 does not exist in February',
    );
    expect(refusal(cron('0 0 31 apr,jun,sep,nov *')).message).toContain(
      '31 does not exist in April, June, September, November',
    );
    expect(refusal({ ...cron('0 0 30 2 mon'), dayMatch: 'and' }).message).toContain(
      'can never fire',
    );
    // With OR the Mondays of February still fire.
    expect(() => validateScheduleSpec(cron('0 0 30 2 mon') as ScheduleSpec, 'UTC')).not.toThrow();
  });

  it.each([
    ['', 'non-empty cron expression'],
    ['* * * *', 'has 4 fields'],
    ['* * * * * * *', 'has 7 fields'],
    ['60 * * * *', 'minute value 60 is out of range 0-59'],
    ['* 24 * * *', 'hour value 24 is out of range 0-23'],
    ['0 0 0 * *', 'day-of-month value 0 is out of range 1-31'],
    ['0 0 * 13 *', 'month value 13 is out of range 1-12'],
    ['0 0 * * 8', 'day-of-week value 8 is out of range 0-7'],
    ['*/0 * * * *', 'step "/0" must be a whole number from 1 to 60'],
    ['*/61 * * * *', 'step "/61"'],
    ['0 0 * * fri-mon', 'runs backwards; write it as two ranges, e.g. "fri-sat,sun-mon"'],
    ['0 0 * * moon', 'did you mean "mon"'],
    ['0 0 * jann *', 'did you mean "jan"'],
    ['0 0 L * *', 'L, W or #, which are not supported'],
    ['0 0 * * 5#3', 'L, W or #, which are not supported'],
    ['? * * * *', '"?", which is allowed only in the day-of-month and day-of-week fields'],
    ['1,,2 * * * *', 'empty list item'],
    ['1-2-3 * * * *', 'malformed'],
    ['@dayly', 'did you mean "@daily"'],
    ['@reboot', '@reboot names no time'],
  ])('refuses cron %j (%s)', (expression, problem) => {
    const error = refusal(cron(expression));
    expect(error.message).toContain(problem);
    expect(error.field).toBe('spec.expression');
  });

  it('refuses unknown or misspelt time zones, suggesting the closest', () => {
    const error = refusal(cron('0 0 * * *'), 'America/New_Yrok');
    expect(error.field).toBe('timezone');
    expect(error.message).toContain('did you mean "America/New_York"');
    expect(refusal(cron('0 0 * * *'), '').field).toBe('timezone');
    expect(() =>
      nextOccurrence(cron('0 0 * * *') as ScheduleSpec, { after: 0, timezone: 'Mars/Olympus' }),
    ).toThrow(/not a known IANA time zone/);
  });

  it('refuses bad interval, clocked, solar and calendar specs, naming the field', () => {
    const cases: [unknown, string, RegExp][] = [
      [{ kind: 'interval', everyMs: 0 }, 'spec.everyMs', /whole number of milliseconds from 1000/],
      [{ kind: 'interval', everyMs: 1.5e3 + 0.5 }, 'spec.everyMs', /whole number/],
      [
        { kind: 'interval', everyMs: 60_000, startAt: 10, endAt: 5 },
        'spec.endAt',
        /before spec.startAt/,
      ],
      [{ kind: 'clocked', runAt: Number.NaN }, 'spec.runAt', /whole number/],
      [
        { kind: 'solar', event: 'sunrise', latitude: 91, longitude: 0 },
        'spec.latitude',
        /from -90 to 90/,
      ],
      [
        { kind: 'solar', event: 'sunrise', latitude: 0, longitude: 181 },
        'spec.longitude',
        /from -180 to 180/,
      ],
      [
        { kind: 'solar', event: 'sunrize', latitude: 0, longitude: 0 },
        'spec.event',
        /did you mean "sunrise"/,
      ],
      [
        { kind: 'solar', event: 'sunset', latitude: 0, longitude: 0, offsetMs: 2 * 86_400_000 },
        'spec.offsetMs',
        /from -86400000/,
      ],
      [
        { kind: 'solar', event: 'sunrise', latitude: 90, longitude: 0 },
        'spec.event',
        /never happens at latitude 90/,
      ],
      [{ kind: 'calendar', hours: [] }, 'spec.hours', /is empty/],
      [{ kind: 'calendar', weekdays: [7] }, 'spec.weekdays', /whole numbers 0-6/],
      [{ kind: 'calendar', minutes: [1.5] }, 'spec.minutes', /whole numbers 0-59/],
      [
        { kind: 'calendar', months: [2], monthDays: [30, 31] },
        'spec',
        /day-of-month 30,31 does not exist in February/,
      ],
      [{ kind: 'calendar', weekday: [1] }, 'spec.weekday', /did you mean "weekdays"/],
      [
        { kind: 'cron', expression: '* * * * *', dayMatch: 'xor' },
        'spec.dayMatch',
        /"or" or "and"/,
      ],
      [{ kind: 'intervals', everyMs: 1000 }, 'spec.kind', /did you mean "interval"/],
      [null, 'spec', /must be an object/],
    ];
    for (const [spec, field, problem] of cases) {
      const error = refusal(spec);
      expect(error.field, JSON.stringify(spec)).toBe(field);
      expect(error.message, JSON.stringify(spec)).toMatch(problem);
    }
  });

  it('crosses the wire as plain data with its code and retryable: false', () => {
    const error = refusal(cron('0 0 30 2 *'));
    expect(toErrorRecord(error)).toMatchObject({
      type: 'ScheduleSpecInvalidError',
      code: 'SCHEDULE_INVALID',
      retryable: false,
    });
    expect(error.toRecord().details).toEqual({
      field: 'spec.expression',
      expression: '0 0 30 2 *',
    });
  });
});
