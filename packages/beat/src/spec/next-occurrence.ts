/**
 * The single entry point for "when does this spec fire next": validates the spec and
 * zone, then dispatches on `spec.kind`. Pure and synchronous; the beat engine calls it
 * after each run, the CLI's "explain" calls `nextOccurrences`.
 */
import type { ScheduleSpec } from '@stem/core';
import { nextCalendarOccurrence } from './next-calendar-occurrence';
import { nextClockedOccurrence } from './next-clocked-occurrence';
import { nextCronOccurrence } from './next-cron-occurrence';
import { nextIntervalOccurrence } from './next-interval-occurrence';
import { nextSolarOccurrence } from './next-solar-occurrence';
import type { AmbiguousTimeRule } from './next-wall-time-occurrence';
import { validateScheduleSpec } from './validate-schedule-spec';
import { ZoneClock } from './zone-clock';

export interface NextOccurrenceOptions {
  /** Find the first occurrence strictly after this instant, epoch ms. */
  after: number;
  /** IANA zone the spec is evaluated in (the entry's `timezone`). */
  timezone: string;
  /**
   * Grid origin of an interval spec without `startAt`, epoch ms; the engine passes the
   * entry's `createdAt`. @default 0
   */
  anchorAt?: number;
  /**
   * Cron and calendar specs: which occurrence of a wall time repeated by a fall-back
   * fires. @default 'earlier'
   */
  ambiguousTime?: AmbiguousTimeRule;
}

/**
 * The first instant (epoch ms) strictly after `options.after` at which `spec` fires, or
 * undefined if it never fires again. Throws `ScheduleSpecInvalidError` for a bad spec
 * or zone.
 */
export function nextOccurrence(
  spec: ScheduleSpec,
  options: NextOccurrenceOptions,
): number | undefined {
  validateScheduleSpec(spec, options.timezone);
  if (typeof options.after !== 'number' || !Number.isFinite(options.after)) {
    throw new RangeError(
      `nextOccurrence: "after" must be a finite epoch-ms number, not ${String(options.after)}`,
    );
  }
  const ambiguous = options.ambiguousTime ?? 'earlier';
  if (ambiguous !== 'earlier' && ambiguous !== 'later' && ambiguous !== 'both') {
    throw new RangeError(
      `nextOccurrence: "ambiguousTime" must be earlier, later or both, not ${String(ambiguous)}`,
    );
  }
  // Candidates are whole milliseconds, so "after a fraction" is "after its floor".
  const after = Math.floor(options.after);
  switch (spec.kind) {
    case 'interval':
      return nextIntervalOccurrence(spec, after, options.anchorAt ?? 0);
    case 'cron':
      return nextCronOccurrence(spec, after, new ZoneClock(options.timezone), ambiguous);
    case 'calendar':
      return nextCalendarOccurrence(spec, after, new ZoneClock(options.timezone), ambiguous);
    case 'solar':
      return nextSolarOccurrence(spec, after);
    case 'clocked':
      return nextClockedOccurrence(spec, after);
  }
}

/** Up to `count` successive occurrences after `options.after`, ascending (for "explain"). */
export function nextOccurrences(
  spec: ScheduleSpec,
  options: NextOccurrenceOptions,
  count: number,
): number[] {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(
      `nextOccurrences: count must be a whole number >= 0, not ${String(count)}`,
    );
  }
  const occurrences: number[] = [];
  let after = options.after;
  while (occurrences.length < count) {
    const next = nextOccurrence(spec, { ...options, after });
    if (next === undefined) break;
    occurrences.push(next);
    after = next;
  }
  return occurrences;
}
