// Schedule specs and next-fire computation

// The engine
export { Beat, type TickReport } from './engine/beat';
export { type BeatClock, ManualClock, systemClock } from './engine/beat-clock';
export { type BeatLogFields, type BeatLogger, consoleBeatLogger } from './engine/beat-logger';
export type { BeatMetricsSnapshot } from './engine/beat-metrics';
export {
  type BeatOptions,
  type ResolvedBeatOptions,
  resolveBeatOptions,
} from './engine/beat-options';
export { deterministicJitterMs, nextFireAfter, occurrenceTaskId } from './engine/entry-timing';
// Operating schedules
export {
  type EventEntryBuilder,
  oneShotEntry,
  recurringEntry,
  ScheduleEventTriggers,
} from './service/event-triggers';
export {
  resolveEntryInput,
  type ScheduleEntryInput,
  validateEntry,
} from './service/schedule-entry-input';
export {
  type AuditOptions,
  type ScheduleEntryUpdate,
  type ScheduleExport,
  SchedulerService,
  type SchedulerServiceOptions,
} from './service/scheduler-service';
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
