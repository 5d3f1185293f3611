// Schedule specs and next-fire computation
export {
  type NextOccurrenceOptions,
  nextOccurrence,
  nextOccurrences,
} from './spec/next-occurrence';
export { SOLAR_EVENTS, SOLAR_SEARCH_DAYS } from './spec/next-solar-occurrence';
export type { AmbiguousTimeRule } from './spec/next-wall-time-occurrence';
export { CRON_ALIASES, parseCronExpression } from './spec/parse-cron-expression';
export { SCHEDULE_INVALID, ScheduleSpecInvalidError } from './spec/schedule-spec-invalid-error';
export {
  MAX_SOLAR_OFFSET_MS,
  MIN_INTERVAL_MS,
  validateScheduleSpec,
} from './spec/validate-schedule-spec';
export { validateTimeZone } from './spec/validate-time-zone';
export type { WallTimeFields } from './spec/wall-time-matcher';
