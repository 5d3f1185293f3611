/**
 * The deterministic id of one schedule occurrence. Every beat process computes the
 * same id for the same entry and instant, which is what lets the store's claim make
 * exactly one of them fire it.
 */

/**
 * `${entryId}@${scheduledAt}`, e.g. `nightly-report@1700000000000`.
 * @param entryId The schedule entry's id.
 * @param scheduledAt The occurrence instant, epoch ms before jitter.
 */
export function occurrenceId(entryId: string, scheduledAt: number): string {
  return `${entryId}@${scheduledAt}`;
}
