/**
 * The one error every refused schedule spec, expression or time zone raises, with
 * the stable code `SCHEDULE_INVALID` and the offending field's dotted path.
 */
import { StemError } from '@stem/core';

/** Matched by `code`, never by `instanceof`: the error may arrive as plain data. */
export const SCHEDULE_INVALID = 'SCHEDULE_INVALID';

/**
 * A schedule spec, cron expression or time zone that can never be evaluated (malformed,
 * out of range, or unable ever to fire). `field` is a dotted path to the bad value.
 */
export class ScheduleSpecInvalidError extends StemError {
  /** Dotted path to the offending value, e.g. `spec.expression` or `timezone`. */
  readonly field: string;

  constructor(field: string, problem: string, details: Record<string, unknown> = {}) {
    super(SCHEDULE_INVALID, `invalid schedule: ${field} ${problem}`, {
      details: { field, ...details },
    });
    this.field = field;
  }
}
