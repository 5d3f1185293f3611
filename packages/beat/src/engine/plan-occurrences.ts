/**
 * Pure planning of one due entry: which overdue occurrences fire now and which are
 * recorded as missed, by the entry's recovery policy, and where its next run is. Taken
 * from the schedule, never from the late time. No I/O; the engine acts on the plan.
 */
import type { ScheduleEntry } from '@stem/core';
import { nextFireAfter } from './entry-timing';

export interface PlanSettings {
  /** An occurrence later than this (ms past its jittered time) counts as missed. */
  misfireGraceMs: number;
  /** Jitter of one occurrence, ms. */
  jitterOf: (scheduledAt: number) => number;
  /** Most occurrences enumerated per plan; older ones are counted missed unseen. */
  maxEnumerated: number;
}

export interface OccurrencePlan {
  /** When the first overdue occurrence becomes ready (jitter): nothing to do before. */
  readyAt: number;
  /** Occurrences to claim and publish, ascending. */
  fire: number[];
  /** Occurrences recorded as missed (the newest `maxEnumerated` at most), ascending. */
  missed: number[];
  /** All missed occurrences, including any not enumerated. */
  missedCount: number;
  /** The last overdue occurrence: the next run is computed after it. */
  lastOverdue: number | undefined;
  /** The next occurrence after everything overdue, or undefined when the entry is done. */
  nextRunAt: number | undefined;
  /** Why the entry fires no more, when it does not. */
  finished?: 'max-runs' | 'exhausted';
}

/** Plans `entry` (enabled, with a nextRunAt) at `nowAt`. */
export function planOccurrences(
  entry: ScheduleEntry,
  nowAt: number,
  settings: PlanSettings,
): OccurrencePlan {
  const first = entry.nextRunAt!;
  const readyAt = first + settings.jitterOf(first);
  const plan: OccurrencePlan = {
    readyAt,
    fire: [],
    missed: [],
    missedCount: 0,
    lastOverdue: undefined,
    nextRunAt: first,
  };
  if (readyAt > nowAt) return plan;

  const overdue: number[] = [];
  let total = 0;
  let next: number | undefined = first;
  while (next !== undefined && next <= nowAt) {
    total += 1;
    overdue.push(next);
    if (overdue.length > settings.maxEnumerated) overdue.shift();
    plan.lastOverdue = next;
    next = nextFireAfter(entry, next);
  }
  plan.nextRunAt = next;
  const unseen = total - overdue.length;
  const isRecent = (at: number) => nowAt - at - settings.jitterOf(at) <= settings.misfireGraceMs;
  const recent = overdue.filter(isRecent);
  const late = overdue.filter((at) => !isRecent(at));
  const policy = entry.missedRunPolicy;
  let catchUp: number[] = [];
  if (policy.kind === 'all') catchUp = late.slice(Math.max(0, late.length - policy.maxRuns));
  else if (policy.kind === 'latest') catchUp = recent.length === 0 ? late.slice(-1) : [];
  else if (policy.kind === 'window') catchUp = late.filter((at) => nowAt - at <= policy.windowMs);
  const caught = new Set(catchUp);
  plan.missed = late.filter((at) => !caught.has(at));
  plan.missedCount = plan.missed.length + unseen;
  plan.fire = [...catchUp, ...recent];

  if (entry.maxRuns !== undefined) {
    const left = Math.max(0, entry.maxRuns - entry.totalRunCount);
    if (plan.fire.length >= left) {
      plan.fire = plan.fire.slice(0, left);
      plan.nextRunAt = undefined;
      plan.finished = 'max-runs';
    }
  }
  if (plan.nextRunAt === undefined && plan.finished === undefined) plan.finished = 'exhausted';
  return plan;
}
