/**
 * What a caller gives to create a schedule entry, the defaults that fill the rest,
 * and the check every entry passes before any store sees it.
 */
import type { NewScheduleEntry, ScheduleEntry } from '@stem/core';
import { ScheduleSpecInvalidError } from '../spec/schedule-spec-invalid-error';
import { validateScheduleSpec } from '../spec/validate-schedule-spec';

/** Runtime fields the beat maintains; never part of an input or an export. */
export const RUNTIME_FIELDS = [
  'lastRunAt',
  'nextRunAt',
  'totalRunCount',
  'lastSuccessAt',
  'lastErrorAt',
  'lastError',
  'lastJitterMs',
  'driftMs',
  'lastScheduledAt',
  'lastTaskId',
  'createdAt',
  'updatedAt',
  'version',
] as const;

type RuntimeField = (typeof RUNTIME_FIELDS)[number];

/** A new entry: `id`, `taskName` and `spec` are required, the rest has defaults. */
export type ScheduleEntryInput = Pick<ScheduleEntry, 'id' | 'taskName' | 'spec'> &
  Partial<Omit<ScheduleEntry, 'id' | 'taskName' | 'spec' | RuntimeField>>;

/**
 * Fills defaults: args null, enabled, timezone UTC, no jitter (deterministic mode),
 * missed runs 'latest', overlap 'allow'.
 */
export function resolveEntryInput(input: ScheduleEntryInput): NewScheduleEntry {
  const entry: NewScheduleEntry = {
    args: null,
    enabled: true,
    timezone: 'UTC',
    jitterMs: 0,
    jitterMode: 'deterministic',
    missedRunPolicy: { kind: 'latest' },
    overlapPolicy: 'allow',
    ...stripRuntime(input),
  } as NewScheduleEntry;
  validateEntry(entry);
  return entry;
}

/** Throws ScheduleSpecInvalidError (SCHEDULE_INVALID) for any field that cannot work. */
export function validateEntry(entry: Omit<NewScheduleEntry, 'id'> & { id: unknown }): void {
  if (typeof entry.id !== 'string' || entry.id.length === 0 || entry.id.length > 150) {
    throw new ScheduleSpecInvalidError('id', 'must be a string of 1 to 150 characters');
  }
  if (typeof entry.taskName !== 'string' || entry.taskName.length === 0) {
    throw new ScheduleSpecInvalidError('taskName', 'must be a non-empty string');
  }
  validateScheduleSpec(entry.spec, entry.timezone);
  requireCount('jitterMs', entry.jitterMs, true);
  if (entry.jitterMode !== 'random' && entry.jitterMode !== 'deterministic') {
    throw new ScheduleSpecInvalidError('jitterMode', 'must be random or deterministic');
  }
  if (!['allow', 'skip', 'queue-one'].includes(entry.overlapPolicy)) {
    throw new ScheduleSpecInvalidError('overlapPolicy', 'must be allow, skip or queue-one');
  }
  const policy = entry.missedRunPolicy;
  const kind = policy?.kind;
  if (kind === 'all') requireCount('missedRunPolicy.maxRuns', policy.maxRuns, false);
  else if (kind === 'window') requireCount('missedRunPolicy.windowMs', policy.windowMs, false);
  else if (kind !== 'latest' && kind !== 'skip') {
    throw new ScheduleSpecInvalidError(
      'missedRunPolicy.kind',
      'must be all, latest, skip or window',
    );
  }
  if (entry.maxRuns !== undefined) requireCount('maxRuns', entry.maxRuns, false);
  for (const field of ['startAt', 'expireAt'] as const) {
    if (entry[field] !== undefined) requireCount(field, entry[field], true);
  }
  const ambiguous = entry.ambiguousTime;
  if (ambiguous !== undefined && !['earlier', 'later', 'both'].includes(ambiguous)) {
    throw new ScheduleSpecInvalidError('ambiguousTime', 'must be earlier, later or both');
  }
}

function requireCount(field: string, value: unknown, zeroAllowed: boolean): void {
  const ok =
    typeof value === 'number' && Number.isSafeInteger(value) && value >= (zeroAllowed ? 0 : 1);
  if (!ok) {
    throw new ScheduleSpecInvalidError(field, `must be a whole number >= ${zeroAllowed ? 0 : 1}`);
  }
}

/** A copy of `entry` without the runtime fields (for inputs and exports). */
export function stripRuntime<T extends object>(entry: T): T {
  const copy = { ...entry } as Record<string, unknown>;
  for (const field of RUNTIME_FIELDS) delete copy[field];
  return copy as T;
}
