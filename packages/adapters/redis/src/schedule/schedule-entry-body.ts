/**
 * The client-side half of an entry write: merging a patch the way the in-memory store
 * does, and serialising the result without the fields the script stamps from the
 * server's clock. The JSON is written by JSON.stringify here and spliced, never
 * re-encoded, in Lua (whose cjson would round numbers to 14 digits).
 */
import type {
  NewScheduleEntry,
  OccurrenceClaim,
  ScheduleEntry,
  ScheduleEntryPatch,
} from '@stem/core';

/** Patch fields an `undefined` cannot clear: the entry would no longer be valid. */
const REQUIRED_FIELDS: ReadonlySet<string> = new Set([
  'taskName',
  'spec',
  'args',
  'enabled',
  'timezone',
  'jitterMs',
  'jitterMode',
  'missedRunPolicy',
  'overlapPolicy',
  'totalRunCount',
  'updatedAt',
]);
/** Never taken from a patch: the store owns them. */
const STORE_FIELDS: ReadonlySet<string> = new Set(['id', 'createdAt', 'version', 'updatedAt']);

/** The entry a create writes, minus createdAt/updatedAt (the script adds both). */
export function newEntryBody(entry: NewScheduleEntry): Record<string, unknown> {
  const {
    createdAt: _c,
    updatedAt: _u,
    version: _v,
    ...fields
  } = entry as NewScheduleEntry &
    Partial<Pick<ScheduleEntry, 'createdAt' | 'updatedAt' | 'version'>>;
  return { ...fields, totalRunCount: entry.totalRunCount ?? 0, version: 1 };
}

/**
 * `current` with `patch` applied (an `undefined` clears an optional field) at the next
 * version, minus updatedAt (the script stamps it).
 */
export function patchedEntryBody(
  current: ScheduleEntry,
  patch: ScheduleEntryPatch,
): Record<string, unknown> {
  const { updatedAt: _updatedAt, ...next } = current as ScheduleEntry & Record<string, unknown>;
  const fields = next as Record<string, unknown>;
  for (const [field, value] of Object.entries(patch)) {
    if (STORE_FIELDS.has(field)) continue;
    if (value !== undefined) fields[field] = value;
    else if (!REQUIRED_FIELDS.has(field)) delete fields[field];
  }
  fields.version = current.version + 1;
  return fields;
}

/** The due-index arguments of a body: enabled flag and nextRunAt ('' when none). */
export function dueArguments(body: Record<string, unknown>): [string, string] {
  const nextRunAt = body.nextRunAt;
  return [
    body.enabled === true ? '1' : '0',
    typeof nextRunAt === 'number' ? String(nextRunAt) : '',
  ];
}

/** A claim as the scripts store it: every value a string, numbers as text. */
interface StoredClaim {
  occurrenceId: string;
  entryId: string;
  scheduledAt: string;
  claimant: string;
  claimedAt: string;
  publishedAt?: string;
  taskId?: string;
}

export function claimFromJson(text: string): OccurrenceClaim {
  const stored = JSON.parse(text) as StoredClaim;
  const claim: OccurrenceClaim = {
    occurrenceId: stored.occurrenceId,
    entryId: stored.entryId,
    scheduledAt: Number(stored.scheduledAt),
    claimant: stored.claimant,
    claimedAt: Number(stored.claimedAt),
  };
  if (stored.publishedAt !== undefined) claim.publishedAt = Number(stored.publishedAt);
  if (stored.taskId !== undefined) claim.taskId = stored.taskId;
  return claim;
}
