/**
 * The field sets shared by cron and calendar specs, and the search for the first wall
 * time at or after a given one that they allow. Pure arithmetic on wall ms (see
 * `ZoneClock`); time zones and DST are handled by the caller.
 */

/** Allowed values per field, each sorted ascending and without duplicates. */
export interface WallTimeFields {
  seconds: readonly number[];
  minutes: readonly number[];
  hours: readonly number[];
  /** 1 … 31. */
  monthDays: readonly number[];
  /** 1 … 12. */
  months: readonly number[];
  /** 0 = Sunday … 6 = Saturday. */
  weekdays: readonly number[];
  /**
   * How day-of-month and day-of-week combine when both are restricted (neither allows
   * every value): `or` is standard cron, `and` is Celery's crontab. When either allows
   * every value, both must match, which is the same thing as matching the other.
   */
  dayMatch: 'or' | 'and';
}

/** Lookup tables built once per field set. */
export interface WallTimeMatcher {
  fields: WallTimeFields;
  /** `next.x[v]` is the smallest allowed value >= v, or -1. */
  next: { seconds: number[]; minutes: number[]; hours: number[]; months: number[] };
  monthDays: boolean[];
  weekdays: boolean[];
  monthDaysRestricted: boolean;
  weekdaysRestricted: boolean;
}

const DAY_MS = 86_400_000;
/** The Gregorian calendar repeats every 400 years, weekdays included. */
const GREGORIAN_CYCLE_MS = 146_097 * DAY_MS;
const MAX_DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTH_NAMES = [
  '',
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function createWallTimeMatcher(fields: WallTimeFields): WallTimeMatcher {
  return {
    fields,
    next: {
      seconds: nextTable(fields.seconds, 60),
      minutes: nextTable(fields.minutes, 60),
      hours: nextTable(fields.hours, 24),
      months: nextTable(fields.months, 13),
    },
    monthDays: flags(fields.monthDays, 32),
    weekdays: flags(fields.weekdays, 7),
    monthDaysRestricted: fields.monthDays.length < 31,
    weekdaysRestricted: fields.weekdays.length < 7,
  };
}

/**
 * Why no date can ever match (e.g. "day-of-month 30 does not exist in February"), or
 * undefined when some date does. Exact, not a search: every month has every weekday,
 * and over the 400-year cycle every (month, day) pair, Feb 29 included, falls on every
 * weekday, so only the month/day-of-month pairing can make a set of fields impossible.
 */
export function whyNeverMatches(fields: WallTimeFields): string | undefined {
  const restricted = fields.monthDays.length < 31 && fields.weekdays.length < 7;
  if (restricted && fields.dayMatch === 'or') return undefined;
  const smallestDay = fields.monthDays[0] ?? 32;
  if (fields.months.some((month) => smallestDay <= MAX_DAYS_IN_MONTH[month]!)) return undefined;
  const days = fields.monthDays.join(',');
  const months = fields.months.map((month) => MONTH_NAMES[month]).join(', ');
  return `day-of-month ${days} does not exist in ${months}`;
}

/**
 * The first wall ms >= `fromWall` (rounded up to a whole second) that the fields allow,
 * or undefined if none within one 400-year cycle (only possible for fields that
 * `whyNeverMatches` refuses, or past the end of the Date range).
 */
export function nextMatchingWallTime(
  matcher: WallTimeMatcher,
  fromWall: number,
): number | undefined {
  const limit = fromWall + GREGORIAN_CYCLE_MS + DAY_MS;
  let wall = Math.ceil(fromWall / 1000) * 1000;
  while (wall <= limit && Number.isFinite(wall)) {
    const at = new Date(wall);
    if (Number.isNaN(at.getTime())) return undefined;
    const year = at.getUTCFullYear();
    const month = at.getUTCMonth() + 1;
    const day = at.getUTCDate();
    const nextMonth = matcher.next.months[month]!;
    if (nextMonth !== month) {
      wall =
        nextMonth === -1
          ? wallMs(year + 1, matcher.fields.months[0]!, 1)
          : wallMs(year, nextMonth, 1);
      continue;
    }
    if (!dayMatches(matcher, day, at.getUTCDay())) {
      wall = wallMs(year, month, day + 1);
      continue;
    }
    const found = matchTimeOfDay(matcher, at);
    if (found !== undefined) return wallMs(year, month, day, found[0], found[1], found[2]);
    wall = wallMs(year, month, day + 1);
  }
  return undefined;
}

function dayMatches(matcher: WallTimeMatcher, monthDay: number, weekday: number): boolean {
  const dayOk = matcher.monthDays[monthDay]!;
  const weekdayOk = matcher.weekdays[weekday]!;
  if (
    matcher.fields.dayMatch === 'or' &&
    matcher.monthDaysRestricted &&
    matcher.weekdaysRestricted
  ) {
    return dayOk || weekdayOk;
  }
  return dayOk && weekdayOk;
}

/** The first allowed [hour, minute, second] at or after `at`'s time of day, same day. */
function matchTimeOfDay(matcher: WallTimeMatcher, at: Date): [number, number, number] | undefined {
  let hour = at.getUTCHours();
  let minute = at.getUTCMinutes();
  let second = at.getUTCSeconds();
  const { next } = matcher;
  for (;;) {
    const allowedHour = next.hours[hour] ?? -1;
    if (allowedHour === -1) return undefined;
    if (allowedHour !== hour) {
      [hour, minute, second] = [allowedHour, 0, 0];
    }
    const allowedMinute = next.minutes[minute] ?? -1;
    if (allowedMinute === -1) {
      [hour, minute, second] = [hour + 1, 0, 0];
      continue;
    }
    if (allowedMinute !== minute) [minute, second] = [allowedMinute, 0];
    const allowedSecond = next.seconds[second] ?? -1;
    if (allowedSecond === -1) {
      [minute, second] = [minute + 1, 0];
      if (minute === 60) [hour, minute] = [hour + 1, 0];
      continue;
    }
    return [hour, minute, allowedSecond];
  }
}

/** Wall ms of a local date and time; overflowing days roll into the next month. */
export function wallMs(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): number {
  const at = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  at.setUTCFullYear(year, month - 1, day);
  at.setUTCHours(hour, minute, second, 0);
  return at.getTime();
}

function nextTable(values: readonly number[], size: number): number[] {
  const table = new Array<number>(size).fill(-1);
  let upcoming = -1;
  for (let value = size - 1; value >= 0; value -= 1) {
    if (values.includes(value)) upcoming = value;
    table[value] = upcoming;
  }
  return table;
}

function flags(values: readonly number[], size: number): boolean[] {
  const table = new Array<boolean>(size).fill(false);
  for (const value of values) table[value] = true;
  return table;
}
