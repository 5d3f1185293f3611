/**
 * Refuses time-zone names the tz database does not know, with a "did you mean" when a
 * known name is close. Every spec is evaluated in the entry's zone, so a bad name is a
 * bad spec.
 */
import { closestMatch } from '@stem/core';
import { IANAZone } from 'luxon';
import { ScheduleSpecInvalidError } from './schedule-spec-invalid-error';

let knownZones: readonly string[] | undefined;
// luxon builds a new Intl.DateTimeFormat per check; every next-fire computation validates
// its zone, so remember the names that passed (a process sees few distinct zones).
const validZones = new Set<string>();

/** Throws `ScheduleSpecInvalidError` (field `timezone`) unless `timezone` is an IANA zone. */
export function validateTimeZone(
  timezone: unknown,
  field = 'timezone',
): asserts timezone is string {
  if (typeof timezone !== 'string' || timezone.trim() === '') {
    throw new ScheduleSpecInvalidError(
      field,
      'must be an IANA time zone name such as "Europe/London"',
    );
  }
  if (validZones.has(timezone)) return;
  if (IANAZone.isValidZone(timezone)) {
    validZones.add(timezone);
    return;
  }
  knownZones ??= Intl.supportedValuesOf('timeZone');
  const suggestion = closestMatch(timezone, knownZones);
  const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
  throw new ScheduleSpecInvalidError(field, `"${timezone}" is not a known IANA time zone${hint}`, {
    timezone,
    ...(suggestion === undefined ? {} : { suggestion }),
  });
}
