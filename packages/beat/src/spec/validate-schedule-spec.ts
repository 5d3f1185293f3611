/**
 * Refuses every spec that cannot be evaluated: unknown kind or property, wrong types,
 * out-of-range numbers, malformed cron, filters or events that can never fire, and
 * unknown time zones. Specs arrive as JSON (stores, CLI), so nothing is trusted.
 */
import { closestMatch, type ScheduleSpec } from '@stem/core';
import { compileCalendarSpec } from './next-calendar-occurrence';
import { compileCronSpec } from './next-cron-occurrence';
import { SOLAR_EVENTS, solarEventOccurs } from './next-solar-occurrence';
import { ScheduleSpecInvalidError } from './schedule-spec-invalid-error';
import { validateTimeZone } from './validate-time-zone';

/** The shortest interval accepted, ms: beat works to the second. */
export const MIN_INTERVAL_MS = 1000;
/** The largest solar offset accepted either way, ms (one day). */
export const MAX_SOLAR_OFFSET_MS = 86_400_000;

const PROPERTIES: Record<ScheduleSpec['kind'], readonly string[]> = {
  interval: ['kind', 'everyMs', 'startAt', 'endAt'],
  cron: ['kind', 'expression', 'dayMatch'],
  solar: ['kind', 'event', 'latitude', 'longitude', 'offsetMs'],
  clocked: ['kind', 'runAt'],
  calendar: ['kind', 'months', 'weekdays', 'monthDays', 'hours', 'minutes'],
};

/**
 * Throws `ScheduleSpecInvalidError` (code `SCHEDULE_INVALID`, `field` naming the bad
 * value) unless `spec` can be evaluated in `timezone` and can fire at least once.
 */
export function validateScheduleSpec(spec: ScheduleSpec, timezone: string): void {
  validateTimeZone(timezone);
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new ScheduleSpecInvalidError('spec', 'must be an object with a "kind"');
  }
  const kinds = Object.keys(PROPERTIES);
  const allowed = PROPERTIES[spec.kind];
  if (allowed === undefined) {
    const suggestion = typeof spec.kind === 'string' ? closestMatch(spec.kind, kinds) : undefined;
    const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
    throw new ScheduleSpecInvalidError(
      'spec.kind',
      `${JSON.stringify(spec.kind)} is not one of ${kinds.join(', ')}${hint}`,
    );
  }
  for (const key of Object.keys(spec)) {
    if (!allowed.includes(key)) {
      const suggestion = closestMatch(key, allowed);
      const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
      throw new ScheduleSpecInvalidError(
        `spec.${key}`,
        `is not a property of a ${spec.kind} spec${hint}`,
      );
    }
  }
  switch (spec.kind) {
    case 'interval':
      requireInteger(spec.everyMs, 'spec.everyMs', MIN_INTERVAL_MS);
      if (spec.startAt !== undefined) requireInteger(spec.startAt, 'spec.startAt');
      if (spec.endAt !== undefined) requireInteger(spec.endAt, 'spec.endAt');
      if (spec.startAt !== undefined && spec.endAt !== undefined && spec.endAt < spec.startAt) {
        throw new ScheduleSpecInvalidError(
          'spec.endAt',
          'is before spec.startAt, so the interval can never fire',
        );
      }
      return;
    case 'cron':
      if (spec.dayMatch !== undefined && spec.dayMatch !== 'or' && spec.dayMatch !== 'and') {
        throw new ScheduleSpecInvalidError(
          'spec.dayMatch',
          `must be "or" or "and", not ${JSON.stringify(spec.dayMatch)}`,
        );
      }
      compileCronSpec(spec);
      return;
    case 'solar':
      validateSolar(spec);
      return;
    case 'clocked':
      requireInteger(spec.runAt, 'spec.runAt');
      return;
    case 'calendar':
      compileCalendarSpec(spec);
      return;
  }
}

function validateSolar(spec: Extract<ScheduleSpec, { kind: 'solar' }>): void {
  if (!SOLAR_EVENTS.includes(spec.event)) {
    const suggestion =
      typeof spec.event === 'string' ? closestMatch(spec.event, SOLAR_EVENTS) : undefined;
    const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
    throw new ScheduleSpecInvalidError(
      'spec.event',
      `${JSON.stringify(spec.event)} is not one of ${SOLAR_EVENTS.join(', ')}${hint}`,
    );
  }
  requireNumberIn(spec.latitude, 'spec.latitude', -90, 90);
  requireNumberIn(spec.longitude, 'spec.longitude', -180, 180);
  if (spec.offsetMs !== undefined) {
    requireInteger(spec.offsetMs, 'spec.offsetMs', -MAX_SOLAR_OFFSET_MS, MAX_SOLAR_OFFSET_MS);
  }
  if (!solarEventOccurs(spec.event, spec.latitude, spec.longitude)) {
    throw new ScheduleSpecInvalidError(
      'spec.event',
      `${spec.event} never happens at latitude ${spec.latitude} (at the poles the sun rises and sets once a year, not daily), so the spec can never fire`,
    );
  }
}

function requireInteger(value: unknown, field: string, min = -8.64e15, max = 8.64e15): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ScheduleSpecInvalidError(
      field,
      `must be a whole number of milliseconds from ${min} to ${max}, not ${JSON.stringify(value)}`,
    );
  }
}

function requireNumberIn(value: unknown, field: string, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new ScheduleSpecInvalidError(
      field,
      `must be a number from ${min} to ${max}, not ${JSON.stringify(value)}`,
    );
  }
}
