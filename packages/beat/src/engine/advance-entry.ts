/**
 * Moves an entry past occurrences that were fired, skipped or missed and records the
 * fire in its stats, with the store's optimistic lock. The fast path writes what the
 * caller planned from the version it read; after a conflict (an operator's edit, a
 * reaper) it re-reads and recomputes, never moving nextRunAt backwards.
 */
import {
  hasErrorCode,
  type ScheduleEntry,
  type ScheduleEntryPatch,
  type ScheduleStore,
} from '@stem/core';
import { nextFireAfter } from './entry-timing';

/** Attempts before an advance gives up (each one lost a race to another writer). */
const MAX_ATTEMPTS = 20;

export interface FireStats {
  /** Occurrences fired by this advance. */
  count: number;
  lastScheduledAt: number;
  lastTaskId: string;
  firedAt: number;
  jitterMs: number;
  driftMs: number;
}

export interface AdvanceRequest {
  /** The entry as read; its version is what the fast path expects. */
  read: ScheduleEntry;
  /** Every occurrence up to this instant has been dealt with. */
  past: number;
  /**
   * What the caller's plan computed for `read` (nextRunAt undefined: the entry is done).
   * Without a plan the patch is recomputed from the entry, as after a conflict.
   */
  planned?: { nextRunAt: number | undefined };
  fired?: FireStats;
  /** Retry with a re-read after a conflict (when this beat holds claims). @default false */
  retryOnConflict?: boolean;
}

/** Resolves to the written entry, or undefined if the entry is gone or the race was lost. */
export async function advanceEntry(
  store: ScheduleStore,
  request: AdvanceRequest,
): Promise<ScheduleEntry | undefined> {
  let current: ScheduleEntry | undefined = request.read;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    if (current === undefined) return undefined;
    const patch =
      attempt === 1 && request.planned !== undefined
        ? plannedPatch(request, request.planned.nextRunAt)
        : recomputedPatch(current, request.past, request.fired);
    if (Object.keys(patch).length === 0) return current;
    try {
      return await store.update(current.id, patch, { expectedVersion: current.version });
    } catch (error) {
      if (hasErrorCode(error, 'NOT_FOUND')) return undefined;
      if (!hasErrorCode(error, 'VERSION_CONFLICT') || request.retryOnConflict !== true) {
        if (hasErrorCode(error, 'VERSION_CONFLICT')) return undefined;
        throw error;
      }
    }
    current = await store.get(request.read.id);
  }
  return undefined;
}

function plannedPatch(request: AdvanceRequest, nextRunAt: number | undefined): ScheduleEntryPatch {
  const patch: ScheduleEntryPatch = { nextRunAt };
  if (request.fired !== undefined) {
    Object.assign(patch, statsPatch(request.read, request.fired));
  }
  return patch;
}

function recomputedPatch(
  current: ScheduleEntry,
  past: number,
  fired: FireStats | undefined,
): ScheduleEntryPatch {
  const patch: ScheduleEntryPatch = {};
  const isNewFire = fired !== undefined && (current.lastScheduledAt ?? -1) < fired.lastScheduledAt;
  if (isNewFire) Object.assign(patch, statsPatch(current, fired));
  const total = patch.totalRunCount ?? current.totalRunCount;
  if (current.maxRuns !== undefined && total >= current.maxRuns) {
    if (current.nextRunAt !== undefined) patch.nextRunAt = undefined;
  } else if (current.enabled && current.nextRunAt !== undefined && current.nextRunAt <= past) {
    patch.nextRunAt = nextFireAfter(current, past);
  }
  return patch;
}

function statsPatch(entry: ScheduleEntry, fired: FireStats): ScheduleEntryPatch {
  return {
    totalRunCount: entry.totalRunCount + fired.count,
    lastRunAt: fired.firedAt,
    lastScheduledAt: fired.lastScheduledAt,
    lastTaskId: fired.lastTaskId,
    lastJitterMs: fired.jitterMs,
    driftMs: fired.driftMs,
  };
}
