/**
 * Handles one due entry for the beat loop: plans its overdue occurrences, applies the
 * overlap policy, claims each occurrence to fire (fenced by the entry version read),
 * advances the entry, records skipped and missed runs, then publishes. Main thread.
 */
import { performance } from 'node:perf_hooks';
import { hasErrorCode, occurrenceId, type ScheduleEntry, type ScheduleRun } from '@stem/core';
import { advanceEntry } from './advance-entry';
import { applyOverlap, type OverlapDecision } from './apply-overlap';
import { type BeatMetricsSnapshot, recordFireDuration } from './beat-metrics';
import type { ResolvedBeatOptions } from './beat-options';
import { deterministicJitterMs, occurrenceTaskId } from './entry-timing';
import type { OccurrencePublisher } from './occurrence-publisher';
import { type OccurrencePlan, planOccurrences } from './plan-occurrences';
import { previousRunState } from './previous-run-state';

/** Random jitter draws remembered per occurrence, so each beat draws once. */
const MAX_REMEMBERED_DRAWS = 10_000;

interface Backoff {
  version: number;
  untilAt: number;
  strikes: number;
}

export class EntryFirer {
  readonly #options: ResolvedBeatOptions;
  readonly #metrics: BeatMetricsSnapshot;
  readonly #publisher: OccurrencePublisher;
  readonly #backoffs = new Map<string, Backoff>();
  readonly #draws = new Map<string, number>();
  readonly #queuedLogged = new Set<string>();

  constructor(
    options: ResolvedBeatOptions,
    metrics: BeatMetricsSnapshot,
    publisher: OccurrencePublisher,
  ) {
    this.#options = options;
    this.#metrics = metrics;
    this.#publisher = publisher;
  }

  /** Forgets backoffs of an entry that changed (a notification). */
  changed(entryId: string): void {
    this.#backoffs.delete(entryId);
  }

  /** Handles `entry` at `nowAt`; resolves to when it wants to be looked at again. */
  async fire(entry: ScheduleEntry, nowAt: number): Promise<number> {
    const backoff = this.#backoffs.get(entry.id);
    if (backoff?.version === entry.version && backoff.untilAt > nowAt) return backoff.untilAt;
    const { logger } = this.#options;
    let plan: OccurrencePlan;
    try {
      plan = planOccurrences(entry, nowAt, {
        misfireGraceMs: this.#options.misfireGraceMs,
        jitterOf: (at) => this.jitterOf(entry, at),
        maxEnumerated: this.#options.maxCatchUpEnumerated,
      });
    } catch (error) {
      this.#metrics.errors += 1;
      logger.error('entry cannot be evaluated; fixing or disabling it is needed', {
        entryId: entry.id,
        error: String(error),
      });
      return this.#backOff(entry, Number.POSITIVE_INFINITY, nowAt);
    }
    if (plan.readyAt > nowAt) return plan.readyAt;
    this.#metrics.due += 1;
    const decision = await this.#decideOverlap(entry, plan, nowAt);
    if (decision.wait) return this.#backOff(entry, this.#options.overlapPollMs, nowAt);
    const claimStartedAt = performance.now();
    const claimed = await this.#claim(entry, decision.fire);
    if (claimed === 'lost') return this.#lostClaim(entry, decision.fire[0]!, nowAt);
    if (claimed === 'stale') return nowAt;
    const firedAt = this.#options.clock.now();
    const last = claimed.at(-1);
    const jitterMs = last === undefined ? 0 : this.jitterOf(entry, last);
    const driftMs = last === undefined ? 0 : Math.max(0, firedAt - last - jitterMs);
    const advanced = await advanceEntry(this.#options.store, {
      read: entry,
      past: plan.lastOverdue ?? entry.nextRunAt!,
      planned: { nextRunAt: plan.nextRunAt },
      retryOnConflict: claimed.length > 0,
      ...(last === undefined
        ? {}
        : {
            fired: {
              count: claimed.length,
              lastScheduledAt: last,
              lastTaskId: occurrenceTaskId(entry.id, last),
              firedAt,
              jitterMs,
              driftMs,
            },
          }),
    });
    if (advanced === undefined && claimed.length === 0) return nowAt;
    await this.#recordUnfired(entry, decision, plan, firedAt);
    if (last !== undefined && driftMs > this.#options.driftWarnMs) {
      this.#metrics.driftCorrections += 1;
      logger.warn('late fire: next run taken from the schedule, not the late time', {
        entryId: entry.id,
        scheduledAt: last,
        driftMs,
        nextRunAt: advanced?.nextRunAt,
      });
    }
    if (plan.finished !== undefined && advanced?.nextRunAt === undefined) {
      logger.info('entry finished', { entryId: entry.id, reason: plan.finished });
    }
    await this.#publishAll(advanced ?? entry, claimed, claimStartedAt, firedAt);
    return advanced?.nextRunAt ?? nowAt + this.#options.pollIntervalMs;
  }

  /** Jitter of one occurrence: hashed (same on every beat) or drawn once per beat. */
  jitterOf(entry: ScheduleEntry, scheduledAt: number): number {
    if (entry.jitterMs <= 0) return 0;
    if (entry.jitterMode === 'deterministic') {
      return deterministicJitterMs(entry.id, scheduledAt, entry.jitterMs);
    }
    const key = occurrenceId(entry.id, scheduledAt);
    let draw = this.#draws.get(key);
    if (draw === undefined) {
      draw = Math.floor(Math.random() * (entry.jitterMs + 1));
      if (this.#draws.size >= MAX_REMEMBERED_DRAWS) this.#draws.clear();
      this.#draws.set(key, draw);
    }
    return draw;
  }

  async #decideOverlap(entry: ScheduleEntry, plan: OccurrencePlan, nowAt: number) {
    const { resultBackend, overlapStaleMs, logger } = this.#options;
    const state =
      entry.overlapPolicy === 'allow'
        ? ({ kind: 'none' } as const)
        : await previousRunState(entry, resultBackend, nowAt, overlapStaleMs);
    if (state.kind === 'unknown') {
      logger.warn('overlap policy needs a result backend; firing as allow', {
        entryId: entry.id,
        overlapPolicy: entry.overlapPolicy,
      });
    }
    const decision = applyOverlap(plan, entry.overlapPolicy, state, entry.nextRunAt!);
    const waitKey = occurrenceId(entry.id, entry.nextRunAt!);
    if (decision.wait && !this.#queuedLogged.has(waitKey)) {
      this.#queuedLogged.add(waitKey);
      this.#metrics.queued += 1;
      logger.info('queued behind the running previous fire', {
        entryId: entry.id,
        scheduledAt: entry.nextRunAt,
        runningTaskId: entry.lastTaskId,
      });
    }
    if (!decision.wait) this.#queuedLogged.delete(waitKey);
    return decision;
  }

  /** Claims in order; 'lost' or 'stale' when the very first claim is refused. */
  async #claim(entry: ScheduleEntry, fire: number[]): Promise<number[] | 'lost' | 'stale'> {
    const claimed: number[] = [];
    for (const scheduledAt of fire) {
      const outcome = await this.#options.store.claimOccurrence({
        entryId: entry.id,
        scheduledAt,
        claimant: this.#options.instanceId,
        entryVersion: entry.version,
      });
      if (outcome.claimed) claimed.push(scheduledAt);
      else if (claimed.length === 0) return outcome.reason === 'taken' ? 'lost' : 'stale';
    }
    return claimed;
  }

  /**
   * Someone holds the first occurrence. Usually its claimant advances the entry within
   * milliseconds (a notification clears this backoff); if the entry is still there after
   * two backoffs the claimant died before advancing, so move it past the occurrence
   * (the reaper publishes the occurrence itself).
   */
  async #lostClaim(entry: ScheduleEntry, scheduledAt: number, nowAt: number): Promise<number> {
    this.#metrics.claimsLost += 1;
    const backoff = this.#backoffs.get(entry.id);
    if (backoff?.version === entry.version && backoff.strikes >= 2) {
      this.#backoffs.delete(entry.id);
      await advanceEntry(this.#options.store, {
        read: entry,
        past: scheduledAt,
        retryOnConflict: true,
      }).catch(() => undefined);
      return nowAt;
    }
    return this.#backOff(entry, this.#options.claimLostBackoffMs, nowAt);
  }

  #backOff(entry: ScheduleEntry, delayMs: number, nowAt: number): number {
    const previous = this.#backoffs.get(entry.id);
    const strikes = previous?.version === entry.version ? previous.strikes + 1 : 1;
    const untilAt = nowAt + delayMs;
    this.#backoffs.set(entry.id, { version: entry.version, untilAt, strikes });
    return untilAt;
  }

  async #recordUnfired(
    entry: ScheduleEntry,
    decision: OverlapDecision,
    plan: OccurrencePlan,
    firedAt: number,
  ): Promise<void> {
    const { store, maxHistory, missedHistoryLimit, logger } = this.#options;
    const unseenMissed = plan.missedCount - plan.missed.length;
    this.#metrics.missed +=
      decision.missed.length + (decision.missed.length > 0 ? unseenMissed : 0);
    this.#metrics.skipped += decision.skipped.length;
    const lines: ScheduleRun[] = [
      ...decision.missed.map((at) => ({ at, status: 'missed' as const })),
      ...decision.skipped.map((at) => ({ at, status: 'skipped' as const })),
    ]
      .sort((a, b) => a.at - b.at)
      .slice(-missedHistoryLimit)
      .map(({ at, status }) => ({ entryId: entry.id, scheduledAt: at, firedAt, status }));
    if (decision.missed.length > 0) {
      logger.warn('occurrences missed', {
        entryId: entry.id,
        count: decision.missed.length + unseenMissed,
        policy: entry.missedRunPolicy.kind,
      });
    }
    if (decision.skipped.length > 0) {
      logger.info('occurrences skipped by overlap policy', {
        entryId: entry.id,
        count: decision.skipped.length,
        policy: entry.overlapPolicy,
      });
    }
    for (const line of lines) {
      try {
        await store.appendRun(line, maxHistory);
      } catch (error) {
        if (!hasErrorCode(error, 'NOT_FOUND')) throw error;
      }
    }
  }

  async #publishAll(
    entry: ScheduleEntry,
    claimed: number[],
    claimStartedAt: number,
    firedAt: number,
  ) {
    const { logger, publishBudgetMs } = this.#options;
    for (const scheduledAt of claimed) {
      const id = occurrenceId(entry.id, scheduledAt);
      try {
        const outcome = await this.#publisher.publish({
          entry,
          scheduledAt,
          occurrenceId: id,
          claimStartedAt,
          budgetMs: publishBudgetMs,
          firedAt,
        });
        if (outcome.kind === 'abandoned') {
          this.#metrics.abandoned += 1;
          logger.warn('publish abandoned: paused past the budget, the reaper publishes it', {
            entryId: entry.id,
            scheduledAt,
            elapsedMs: Math.round(outcome.elapsedMs),
          });
          return;
        }
        this.#metrics.fired += 1;
        recordFireDuration(this.#metrics, outcome.durationMs);
        logger.info('fired', { entryId: entry.id, scheduledAt, taskId: outcome.taskId });
      } catch (error) {
        this.#metrics.errors += 1;
        logger.error('publish failed; the reaper retries it', {
          entryId: entry.id,
          scheduledAt,
          error: String(error),
        });
        return;
      }
    }
  }
}
