/**
 * The beat: a loop on the main thread that asks the store for due entries (its due
 * index, never a scan), fires each through EntryFirer, runs the reaper, and sleeps
 * until the earliest next run, a change notification, or the poll interval. It keeps
 * no copy of the entries: every pass reads the due index, so an edit made anywhere is
 * seen on the next pass, and a notification makes that pass start at once.
 */
import type { ScheduleChange } from '@stem/core';
import { type BeatMetricsSnapshot, emptyBeatMetrics } from './beat-metrics';
import { type BeatOptions, type ResolvedBeatOptions, resolveBeatOptions } from './beat-options';
import { EntryFirer } from './entry-firer';
import { OccurrencePublisher } from './occurrence-publisher';
import { Reaper } from './reaper';

export interface TickReport {
  /** Due entries handled in this pass. */
  entries: number;
  /** Epoch ms (beat clock) at which the next pass is wanted. */
  wakeAt: number;
}

export class Beat {
  readonly instanceId: string;
  readonly #options: ResolvedBeatOptions;
  readonly #metrics: BeatMetricsSnapshot = emptyBeatMetrics();
  readonly #firer: EntryFirer;
  readonly #reaper: Reaper;
  #wake = new AbortController();
  #changed = false;
  #stopped = true;
  #loop: Promise<void> | undefined;
  #unwatch: (() => Promise<void>) | undefined;

  constructor(options: BeatOptions) {
    this.#options = resolveBeatOptions(options);
    this.instanceId = this.#options.instanceId;
    const { store, stem, maxHistory } = this.#options;
    const publisher = new OccurrencePublisher({ store, stem, maxHistory });
    this.#firer = new EntryFirer(this.#options, this.#metrics, publisher);
    this.#reaper = new Reaper(this.#options, this.#metrics, publisher);
  }

  /** Subscribes to change notifications and starts the loop. */
  async start(): Promise<void> {
    if (!this.#stopped) return;
    this.#stopped = false;
    try {
      this.#unwatch = await this.#options.store.watch((change) => this.#onChange(change));
    } catch (error) {
      this.#options.logger.warn('no change notifications; polling only', {
        beat: this.instanceId,
        error: String(error),
      });
    }
    this.#loop = this.#run();
  }

  /** Stops after the pass in progress; in-flight publishes complete first. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#wake.abort();
    await this.#loop;
    await this.#unwatch?.();
    this.#unwatch = undefined;
  }

  /** One pass over the due entries at the clock's now (tests drive a ManualClock with it). */
  async tick(): Promise<TickReport> {
    const { store, clock, batchSize, concurrency, pollIntervalMs } = this.#options;
    const nowAt = clock.now();
    let wakeAt = nowAt + pollIntervalMs;
    const handled = new Set<string>();
    for (;;) {
      const limit = batchSize + handled.size;
      const batch = await store.due(nowAt, limit);
      const fresh = batch.filter((entry) => !handled.has(entry.id));
      for (let at = 0; at < fresh.length; at += concurrency) {
        const group = fresh.slice(at, at + concurrency);
        for (const entry of group) handled.add(entry.id);
        const wakes = await Promise.all(group.map((entry) => this.#firer.fire(entry, nowAt)));
        for (const wanted of wakes) wakeAt = Math.min(wakeAt, wanted);
      }
      if (batch.length < limit || fresh.length === 0) break;
    }
    // The earliest entry not handled above bounds the sleep (handled ones reported theirs).
    const upcoming = await store.due(Number.MAX_SAFE_INTEGER, handled.size + 1);
    const next = upcoming.find((entry) => !handled.has(entry.id));
    if (next?.nextRunAt !== undefined) {
      wakeAt = Math.min(wakeAt, next.nextRunAt + this.#firer.jitterOf(next, next.nextRunAt));
    }
    return { entries: handled.size, wakeAt };
  }

  /** One reaper pass; resolves to the number of orphaned occurrences published. */
  reap(): Promise<number> {
    return this.#reaper.reap();
  }

  /** Counters since start, as a plain copy. */
  metrics(): BeatMetricsSnapshot {
    return structuredClone(this.#metrics);
  }

  #onChange(change: ScheduleChange): void {
    this.#metrics.changes += 1;
    this.#firer.changed(change.entryId);
    this.#changed = true;
    this.#wake.abort();
  }

  async #run(): Promise<void> {
    const { clock, logger, reaperIntervalMs, pollIntervalMs } = this.#options;
    let nextReapAt = clock.now() + reaperIntervalMs;
    while (!this.#stopped) {
      this.#changed = false;
      this.#wake = new AbortController();
      let wakeAt = clock.now() + pollIntervalMs;
      try {
        wakeAt = (await this.tick()).wakeAt;
        if (clock.now() >= nextReapAt) {
          nextReapAt = clock.now() + reaperIntervalMs;
          await this.reap();
        }
      } catch (error) {
        this.#metrics.errors += 1;
        logger.error('beat pass failed; retrying', { beat: this.instanceId, error: String(error) });
        wakeAt = clock.now() + Math.min(1_000, pollIntervalMs);
      }
      if (this.#stopped || this.#changed) continue;
      const delayMs = Math.min(wakeAt, nextReapAt) - clock.now();
      if (delayMs > 0) await clock.sleep(Math.min(delayMs, pollIntervalMs), this.#wake.signal);
    }
  }
}
