/**
 * The reaper: publishes, exactly once, occurrences whose claimant died (or stalled)
 * between claim and publish. Every beat runs one; the store's take-over lets exactly
 * one of them have each orphan, judged old by the store's clock, and the take-over
 * restamps the claim, so a reaper dying in turn is reaped again later. Main thread.
 */
import { performance } from 'node:perf_hooks';
import { hasErrorCode, type OccurrenceClaim } from '@stem/core';
import { advanceEntry } from './advance-entry';
import type { BeatMetricsSnapshot } from './beat-metrics';
import type { ResolvedBeatOptions } from './beat-options';
import { occurrenceTaskId } from './entry-timing';
import type { OccurrencePublisher } from './occurrence-publisher';

export class Reaper {
  readonly #options: ResolvedBeatOptions;
  readonly #metrics: BeatMetricsSnapshot;
  readonly #publisher: OccurrencePublisher;

  constructor(
    options: ResolvedBeatOptions,
    metrics: BeatMetricsSnapshot,
    publisher: OccurrencePublisher,
  ) {
    this.#options = options;
    this.#metrics = metrics;
    this.#publisher = publisher;
  }

  /** One pass; resolves to the number of orphans this reaper published. */
  async reap(): Promise<number> {
    const { store } = this.#options;
    // The store judges age on its own clock in takeOverOccurrence; listing everything
    // unpublished keeps a skewed beat clock out of the decision (the list is short).
    const orphans = await store.listUnpublishedOccurrences(Number.MAX_SAFE_INTEGER);
    let reaped = 0;
    for (const orphan of orphans.sort((a, b) => a.scheduledAt - b.scheduledAt)) {
      if (await this.#reapOne(orphan)) reaped += 1;
    }
    return reaped;
  }

  async #reapOne(orphan: OccurrenceClaim): Promise<boolean> {
    const { store, instanceId, reaperGraceMs, publishBudgetMs, logger, clock } = this.#options;
    const claimStartedAt = performance.now();
    const outcome = await store.takeOverOccurrence({
      occurrenceId: orphan.occurrenceId,
      claimant: instanceId,
      minAgeMs: reaperGraceMs,
    });
    if (!outcome.takenOver) return false;
    const entry = await store.get(orphan.entryId);
    if (entry === undefined) return false;
    const firedAt = clock.now();
    try {
      const advanced = await advanceEntry(store, {
        read: entry,
        past: orphan.scheduledAt,
        retryOnConflict: true,
        fired: {
          count: 1,
          lastScheduledAt: orphan.scheduledAt,
          lastTaskId: occurrenceTaskId(entry.id, orphan.scheduledAt),
          firedAt,
          jitterMs: 0,
          driftMs: Math.max(0, firedAt - orphan.scheduledAt),
        },
      });
      const published = await this.#publisher.publish({
        entry: advanced ?? entry,
        scheduledAt: orphan.scheduledAt,
        occurrenceId: orphan.occurrenceId,
        claimStartedAt,
        budgetMs: publishBudgetMs,
        firedAt,
        note: `reaped from ${outcome.previousClaimant}`,
        reapedFrom: outcome.previousClaimant,
      });
      if (published.kind === 'abandoned') {
        this.#metrics.abandoned += 1;
        return false;
      }
      this.#metrics.reaped += 1;
      logger.warn('reaped an occurrence its claimant never published', {
        entryId: entry.id,
        scheduledAt: orphan.scheduledAt,
        previousClaimant: outcome.previousClaimant,
        taskId: published.taskId,
      });
      return true;
    } catch (error) {
      if (hasErrorCode(error, 'NOT_FOUND')) return false;
      this.#metrics.errors += 1;
      logger.error('reaper publish failed; retried on a later pass', {
        entryId: entry.id,
        scheduledAt: orphan.scheduledAt,
        error: String(error),
      });
      return false;
    }
  }
}
