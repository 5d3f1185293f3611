/**
 * The schedule entry model: what a beat scheduler persists per recurring task, and
 * the polymorphic spec saying when it fires. Plain data, stored as JSON by adapters.
 */
import type { JsonValue } from '../envelope/envelope';

/** Every `everyMs`, optionally only between `startAt` and `endAt` (epoch ms). */
export interface IntervalSpec {
  kind: 'interval';
  everyMs: number;
  startAt?: number;
  endAt?: number;
}

/** A cron expression of 5 fields, or 6 with seconds first; aliases like `@daily` allowed. */
export interface CronSpec {
  kind: 'cron';
  expression: string;
  /**
   * How day-of-month and day-of-week combine when both are restricted: `or` is
   * standard cron, `and` is Celery's crontab. @default 'or'
   */
  dayMatch?: 'or' | 'and';
}

export type SolarEvent =
  | 'sunrise'
  | 'sunset'
  | 'solarNoon'
  | 'dawn'
  | 'dusk'
  | 'nauticalDawn'
  | 'nauticalDusk'
  | 'astronomicalDawn'
  | 'astronomicalDusk';

export interface SolarSpec {
  kind: 'solar';
  event: SolarEvent;
  latitude: number;
  longitude: number;
  /** Shift from the event, may be negative. @default 0 */
  offsetMs?: number;
}

/** Once at an instant. */
export interface ClockedSpec {
  kind: 'clocked';
  runAt: number;
}

/** Fires at every combination allowed by the filters (an absent filter allows all). */
export interface CalendarSpec {
  kind: 'calendar';
  months?: number[];
  /** 0 = Sunday … 6 = Saturday. */
  weekdays?: number[];
  monthDays?: number[];
  hours?: number[];
  minutes?: number[];
}

export type ScheduleSpec = IntervalSpec | CronSpec | SolarSpec | ClockedSpec | CalendarSpec;

export type JitterMode = 'random' | 'deterministic';

/** What happens to occurrences missed while no scheduler was running. */
export type MissedRunPolicy =
  | { kind: 'all'; maxRuns: number }
  | { kind: 'latest' }
  | { kind: 'skip' }
  | { kind: 'window'; windowMs: number };

/** What happens when an occurrence is due while the previous one still runs. */
export type OverlapPolicy = 'allow' | 'skip' | 'queue-one';

export interface ScheduleEntry {
  /** Stable key chosen by the user. */
  id: string;
  taskName: string;
  queue?: string;
  spec: ScheduleSpec;
  /** The task's input (Stem tasks take one argument value; Celery's kwargs fold into it). */
  args: JsonValue;
  enabled: boolean;
  /** IANA time zone every spec is evaluated in. @default 'UTC' */
  timezone: string;
  /** Upper bound of the jitter added to each run, in ms. @default 0 */
  jitterMs: number;
  jitterMode: JitterMode;
  missedRunPolicy: MissedRunPolicy;
  overlapPolicy: OverlapPolicy;
  /** Stop firing after this many runs. */
  maxRuns?: number;
  /** Epoch ms before which the entry fires nothing (any spec kind). */
  startAt?: number;
  /**
   * Cron and calendar specs: which pass of a wall time repeated by a DST fall-back
   * fires. @default 'earlier'
   */
  ambiguousTime?: 'earlier' | 'later' | 'both';
  /** Epoch ms after which the entry no longer fires. */
  expireAt?: number;
  /** Epoch ms of the last actual run. */
  lastRunAt?: number;
  /** Epoch ms of the next scheduled occurrence (before jitter); drives `due()`. */
  nextRunAt?: number;
  totalRunCount: number;
  lastSuccessAt?: number;
  lastErrorAt?: number;
  lastError?: string;
  /** Jitter applied to the last run, ms. */
  lastJitterMs?: number;
  /** Actual minus expected time of the last run, ms. */
  driftMs?: number;
  /** Occurrence instant (before jitter) of the last fire, epoch ms. */
  lastScheduledAt?: number;
  /** Task id of the last fire: what overlap policies ask the result backend about. */
  lastTaskId?: string;
  createdAt: number;
  updatedAt: number;
  /** Optimistic-lock version: 1 on creation, +1 on every change. */
  version: number;
}

/** One line of an entry's run history. */
export interface ScheduleRun {
  entryId: string;
  /** Occurrence instant the run belongs to (epoch ms, before jitter). */
  scheduledAt: number;
  /** Epoch ms at which the task was enqueued. */
  firedAt: number;
  taskId?: string;
  /** `enabled` and `disabled` are audit lines: who toggled the entry, in `note`. */
  status: 'fired' | 'succeeded' | 'failed' | 'missed' | 'skipped' | 'enabled' | 'disabled';
  durationMs?: number;
  error?: string;
  /** Why, for operators: `backfill`, `replay of …`, `run-now`, an audit reason. */
  note?: string;
}
