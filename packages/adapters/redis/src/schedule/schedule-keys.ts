/**
 * The key layout of one schedule store namespace. Every key carries the
 * `{sched:<namespace>}` hash tag, so all of them live in one Cluster slot and one
 * script can touch an entry, its indexes, its claims and its history together.
 */

export interface ScheduleKeys {
  /** hash entryId → entry JSON */
  entries: string;
  /** hash entryId → version (what claims and versioned writes compare) */
  versions: string;
  /** zset (score 0) of enabled entry ids, listed in lexical order */
  enabledIds: string;
  /** zset (score 0) of disabled entry ids */
  disabledIds: string;
  /** zset of enabled entry ids by nextRunAt */
  due: string;
  /** hash occurrenceId → claim JSON */
  claims: string;
  /** zset of unpublished occurrenceIds by claimedAt */
  unpublished: string;
  /** zset of one entry's occurrenceIds by claimedAt */
  claimsOf(entryId: string): string;
  /** list of one entry's runs (JSON), newest first */
  runsOf(entryId: string): string;
  /** pub/sub channel of change notifications (channels are not keys: no slot) */
  changes: string;
}

export function scheduleKeys(namespace: string): ScheduleKeys {
  const prefix = `${namespace}:{sched:${namespace}}`;
  return {
    entries: `${prefix}:entries`,
    versions: `${prefix}:versions`,
    enabledIds: `${prefix}:ids:enabled`,
    disabledIds: `${prefix}:ids:disabled`,
    due: `${prefix}:due`,
    claims: `${prefix}:claims`,
    unpublished: `${prefix}:unpublished`,
    claimsOf: (entryId) => `${prefix}:claims-of:${entryId}`,
    runsOf: (entryId) => `${prefix}:runs:${entryId}`,
    changes: `${namespace}:sched:changes`,
  };
}
