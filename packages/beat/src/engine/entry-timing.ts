/**
 * Per-entry timing rules shared by the engine, the reaper and the service: the next
 * fire after an instant (honouring startAt, expireAt and the entry's DST choice), the
 * jitter of an occurrence, and the deterministic task id of an occurrence.
 */
import { createHash } from 'node:crypto';
import { occurrenceId, type ScheduleEntry } from '@stem/core';
import { nextOccurrence } from '../spec/next-occurrence';

/** The fields next-fire computation reads. */
export type TimedEntry = Pick<
  ScheduleEntry,
  'spec' | 'timezone' | 'createdAt' | 'startAt' | 'expireAt' | 'ambiguousTime'
>;

/**
 * The entry's first occurrence strictly after `after` (epoch ms), or undefined if it
 * never fires again (spec exhausted, or at/after `expireAt`).
 */
export function nextFireAfter(entry: TimedEntry, after: number): number | undefined {
  const from = entry.startAt === undefined ? after : Math.max(after, entry.startAt - 1);
  const next = nextOccurrence(entry.spec, {
    after: from,
    timezone: entry.timezone,
    anchorAt: entry.createdAt,
    ...(entry.ambiguousTime === undefined ? {} : { ambiguousTime: entry.ambiguousTime }),
  });
  if (next === undefined) return undefined;
  if (entry.expireAt !== undefined && next >= entry.expireAt) return undefined;
  return next;
}

/** Jitter in [0, jitterMs] every beat computes alike for the same occurrence. */
export function deterministicJitterMs(entryId: string, scheduledAt: number, jitterMs: number) {
  if (jitterMs <= 0) return 0;
  const digest = createHash('sha256').update(occurrenceId(entryId, scheduledAt)).digest();
  return digest.readUInt32BE(0) % (Math.floor(jitterMs) + 1);
}

/** Longest occurrence id used verbatim in a task id (envelope ids stop at 200). */
const MAX_VERBATIM_ID = 180;

/**
 * `beat:<entryId>@<scheduledAt>`: the same for every beat and every republish, so a
 * republish is recognisable (and dropped by workers honouring idempotency keys).
 */
export function occurrenceTaskId(entryId: string, scheduledAt: number): string {
  const id = occurrenceId(entryId, scheduledAt);
  if (id.length <= MAX_VERBATIM_ID) return `beat:${id}`;
  const digest = createHash('sha256').update(entryId).digest('hex').slice(0, 32);
  return `beat:${digest}@${scheduledAt}`;
}
