/**
 * Next fire of a calendar spec: its filters become the same field sets a cron
 * expression compiles to (seconds fixed at 0, every filter ANDed, an absent filter
 * allowing every value), walked under the same DST rule.
 */
import type { CalendarSpec } from '@stem/core';
import { type AmbiguousTimeRule, nextWallTimeOccurrence } from './next-wall-time-occurrence';
import { ScheduleSpecInvalidError } from './schedule-spec-invalid-error';
import {
  createWallTimeMatcher,
  type WallTimeFields,
  type WallTimeMatcher,
  whyNeverMatches,
} from './wall-time-matcher';
import type { ZoneClock } from './zone-clock';

const FILTERS = [
  { key: 'months', min: 1, max: 12 },
  { key: 'weekdays', min: 0, max: 6 },
  { key: 'monthDays', min: 1, max: 31 },
  { key: 'hours', min: 0, max: 23 },
  { key: 'minutes', min: 0, max: 59 },
] as const;

/** The field sets of a calendar spec (throws `ScheduleSpecInvalidError`). */
export function compileCalendarSpec(spec: CalendarSpec): WallTimeMatcher {
  const allowed = {} as Record<(typeof FILTERS)[number]['key'], number[]>;
  for (const { key, min, max } of FILTERS) {
    allowed[key] = readFilter(spec[key], `spec.${key}`, min, max);
  }
  const fields: WallTimeFields = { seconds: [0], ...allowed, dayMatch: 'and' };
  const never = whyNeverMatches(fields);
  if (never !== undefined) throw new ScheduleSpecInvalidError('spec', `can never fire: ${never}`);
  return createWallTimeMatcher(fields);
}

function readFilter(values: unknown, field: string, min: number, max: number): number[] {
  if (values === undefined) return range(min, max);
  if (!Array.isArray(values)) {
    throw new ScheduleSpecInvalidError(field, `must be an array of whole numbers ${min}-${max}`);
  }
  if (values.length === 0) {
    throw new ScheduleSpecInvalidError(
      field,
      'is empty, so it can never match; omit it to allow every value',
    );
  }
  for (const value of values) {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new ScheduleSpecInvalidError(
        field,
        `contains ${JSON.stringify(value)}; values must be whole numbers ${min}-${max}`,
      );
    }
  }
  return [...new Set(values as number[])].sort((a, b) => a - b);
}

function range(min: number, max: number): number[] {
  return Array.from({ length: max - min + 1 }, (_, index) => min + index);
}

/** The first instant (epoch ms) strictly after `after` at which `spec` fires. */
export function nextCalendarOccurrence(
  spec: CalendarSpec,
  after: number,
  clock: ZoneClock,
  ambiguous: AmbiguousTimeRule = 'earlier',
): number | undefined {
  return nextWallTimeOccurrence(compileCalendarSpec(spec), after, clock, ambiguous);
}
