/**
 * SchedulerService: the operator's API over a ScheduleStore (what the CLI and admin
 * UIs call). CRUD with optimistic versions, enable/disable with an audit line in the
 * entry's history, run-now, history, explain, JSON export/import, backfill and replay.
 * Every entry is validated before the store sees it. Runs on the caller's thread.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  CapabilityNotSupportedError,
  NotFoundError,
  occurrenceId,
  type ScheduleEntry,
  type ScheduleRun,
  type ScheduleStore,
  type Stem,
  VersionConflictError,
} from '@stem/core';
import { type BeatClock, systemClock } from '../engine/beat-clock';
import { nextFireAfter } from '../engine/entry-timing';
import { OccurrencePublisher } from '../engine/occurrence-publisher';
import { ScheduleSpecInvalidError } from '../spec/schedule-spec-invalid-error';
import {
  resolveEntryInput,
  type ScheduleEntryInput,
  stripRuntime,
  validateEntry,
} from './schedule-entry-input';

export interface SchedulerServiceOptions {
  store: ScheduleStore;
  /** Needed by runNow, backfill and replay, which publish. */
  stem?: Stem;
  /** @default systemClock() */
  clock?: BeatClock;
  /** Runs kept per entry's history. @default 100 */
  maxHistory?: number;
  /** Most occurrences one backfill publishes. @default 10_000 */
  maxBackfill?: number;
}

/** Config fields an update may change (runtime fields belong to the beat). */
export type ScheduleEntryUpdate = Partial<Omit<ScheduleEntryInput, 'id'>>;

export interface AuditOptions {
  expectedVersion?: number;
  /** Who and why, kept in the history line. */
  reason?: string;
}

/** The JSON document export() writes and import() reads. */
export interface ScheduleExport {
  format: 'stem-schedules';
  version: 1;
  entries: ScheduleEntryInput[];
}

export class SchedulerService {
  readonly #store: ScheduleStore;
  readonly #stem: Stem | undefined;
  readonly #clock: BeatClock;
  readonly #maxHistory: number;
  readonly #maxBackfill: number;

  constructor(options: SchedulerServiceOptions) {
    this.#store = options.store;
    this.#stem = options.stem;
    this.#clock = options.clock ?? systemClock();
    this.#maxHistory = options.maxHistory ?? 100;
    this.#maxBackfill = options.maxBackfill ?? 10_000;
  }

  /** Validates (SCHEDULE_INVALID), stores, and sets the first run; ALREADY_EXISTS if taken. */
  async create(input: ScheduleEntryInput): Promise<ScheduleEntry> {
    const created = await this.#store.create(resolveEntryInput(input));
    // The first run is computed from the stored createdAt (the interval grid's anchor).
    const nextRunAt = created.enabled ? this.#nextRunFor(created) : undefined;
    if (nextRunAt === undefined) return created;
    return this.#store.update(created.id, { nextRunAt }, { expectedVersion: created.version });
  }

  get(entryId: string): Promise<ScheduleEntry | undefined> {
    return this.#store.get(entryId);
  }

  list(query?: Parameters<ScheduleStore['list']>[0]): Promise<ScheduleEntry[]> {
    return this.#store.list(query);
  }

  /**
   * Applies a config change; VERSION_CONFLICT if `expectedVersion` is stale. A change to
   * when it fires recomputes the next run from now (not from the last run).
   */
  async update(
    entryId: string,
    changes: ScheduleEntryUpdate,
    options: { expectedVersion?: number } = {},
  ): Promise<ScheduleEntry> {
    const current = await this.#require(entryId);
    const config = stripRuntime(changes) as ScheduleEntryUpdate & { id?: unknown };
    delete config.id;
    const merged = { ...current, ...config } as ScheduleEntry;
    validateEntry(merged);
    const timing = ['spec', 'timezone', 'startAt', 'expireAt', 'ambiguousTime', 'enabled'];
    const retimed = timing.some((field) => field in config);
    const patch = retimed ? { ...config, nextRunAt: this.#nextRunFor(merged) } : config;
    return this.#store.update(entryId, patch, {
      expectedVersion: options.expectedVersion ?? current.version,
    });
  }

  delete(entryId: string, options: { expectedVersion?: number } = {}): Promise<boolean> {
    return this.#store.delete(entryId, options);
  }

  enable(entryId: string, options: AuditOptions = {}): Promise<ScheduleEntry> {
    return this.#toggle(entryId, true, options);
  }

  disable(entryId: string, options: AuditOptions = {}): Promise<ScheduleEntry> {
    return this.#toggle(entryId, false, options);
  }

  /** The entry's history, newest first (fires, misses, skips, audit lines). */
  history(entryId: string, limit = 50): Promise<ScheduleRun[]> {
    return this.#store.listRuns(entryId, limit);
  }

  /** The next `count` fire instants (epoch ms) from now, as the beat will compute them. */
  async explain(entryId: string, count = 5): Promise<number[]> {
    const entry = await this.#require(entryId);
    const times: number[] = [];
    let after = Math.max(this.#clock.now() - 1, (entry.nextRunAt ?? 0) - 1);
    while (times.length < count) {
      if (entry.maxRuns !== undefined && entry.totalRunCount + times.length >= entry.maxRuns) break;
      const next = nextFireAfter(entry, after);
      if (next === undefined) break;
      times.push(next);
      after = next;
    }
    return times;
  }

  /** Publishes the task now, outside the schedule (the next run is unchanged). */
  async runNow(entryId: string, options: { reason?: string } = {}): Promise<string> {
    const entry = await this.#require(entryId);
    const nowAt = this.#clock.now();
    const taskId = `beat:run-now:${randomUUID()}`;
    await this.#publisher().publish({
      entry,
      scheduledAt: nowAt,
      taskId,
      claimStartedAt: performance.now(),
      budgetMs: Number.POSITIVE_INFINITY,
      firedAt: nowAt,
      note: `run-now${options.reason === undefined ? '' : `: ${options.reason}`}`,
    });
    return taskId;
  }

  /**
   * Publishes every occurrence in [fromAt, toAt] (capped at now) not claimed before,
   * through the same claims as the beat, so a repeated backfill publishes nothing twice.
   */
  async backfill(entryId: string, fromAt: number, toAt: number): Promise<string[]> {
    const entry = await this.#require(entryId);
    const until = Math.min(toAt, this.#clock.now());
    const publisher = this.#publisher();
    const taskIds: string[] = [];
    let at = nextFireAfter({ ...entry, expireAt: undefined }, fromAt - 1);
    while (at !== undefined && at <= until && taskIds.length < this.#maxBackfill) {
      const claimStartedAt = performance.now();
      const outcome = await this.#store.claimOccurrence({
        entryId,
        scheduledAt: at,
        claimant: 'backfill',
        entryVersion: entry.version,
      });
      if (outcome.claimed) {
        const published = await publisher.publish({
          entry,
          scheduledAt: at,
          occurrenceId: occurrenceId(entryId, at),
          claimStartedAt,
          budgetMs: Number.POSITIVE_INFINITY,
          firedAt: this.#clock.now(),
          note: 'backfill',
        });
        if (published.kind === 'published') taskIds.push(published.taskId);
      } else if (outcome.reason === 'missing') {
        throw new NotFoundError(`schedule entry ${entryId}`);
      } else if (outcome.reason === 'stale') {
        throw new VersionConflictError(`schedule entry ${entryId}`, entry.version, undefined);
      }
      at = nextFireAfter({ ...entry, expireAt: undefined }, at);
    }
    return taskIds;
  }

  /** Publishes one occurrence again as a new task (a manual replay, kept in history). */
  async replay(occurrence: string, options: { reason?: string } = {}): Promise<string> {
    const split = occurrence.lastIndexOf('@');
    const scheduledAt = Number(occurrence.slice(split + 1));
    if (split <= 0 || !Number.isSafeInteger(scheduledAt)) {
      throw new ScheduleSpecInvalidError('occurrenceId', 'must be <entryId>@<epoch ms>');
    }
    const entry = await this.#require(occurrence.slice(0, split));
    const taskId = `beat:replay:${randomUUID()}`;
    const note = `replay of ${occurrence}${options.reason === undefined ? '' : `: ${options.reason}`}`;
    await this.#publisher().publish({
      entry,
      scheduledAt,
      taskId,
      claimStartedAt: performance.now(),
      budgetMs: Number.POSITIVE_INFINITY,
      firedAt: this.#clock.now(),
      note,
    });
    return taskId;
  }

  /** Every entry's config (no runtime state) as a JSON document. */
  async export(): Promise<string> {
    const entries: ScheduleEntryInput[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.#store.list({
        limit: 500,
        ...(after === undefined ? {} : { after }),
      });
      entries.push(...page.map((entry) => stripRuntime(entry) as ScheduleEntryInput));
      if (page.length < 500) break;
      after = page.at(-1)!.id;
    }
    const document: ScheduleExport = { format: 'stem-schedules', version: 1, entries };
    return JSON.stringify(document, null, 2);
  }

  /**
   * Validates every entry of an export first (nothing is written if one is bad), then
   * creates missing entries and, with `replace`, updates existing ones.
   */
  async import(
    json: string,
    options: { replace?: boolean } = {},
  ): Promise<{ created: number; updated: number; unchanged: number }> {
    const document = JSON.parse(json) as Partial<ScheduleExport>;
    if (
      document.format !== 'stem-schedules' ||
      document.version !== 1 ||
      !Array.isArray(document.entries)
    ) {
      throw new ScheduleSpecInvalidError('import', 'is not a stem-schedules version 1 document');
    }
    for (const input of document.entries) resolveEntryInput(input);
    const counts = { created: 0, updated: 0, unchanged: 0 };
    for (const input of document.entries) {
      const existing = await this.#store.get(input.id);
      if (existing === undefined) {
        await this.create(input);
        counts.created += 1;
      } else if (options.replace === true) {
        await this.update(input.id, input, { expectedVersion: existing.version });
        counts.updated += 1;
      } else counts.unchanged += 1;
    }
    return counts;
  }

  async #toggle(entryId: string, enabled: boolean, options: AuditOptions): Promise<ScheduleEntry> {
    const updated = await this.update(entryId, { enabled }, options);
    await this.#store.appendRun(
      {
        entryId,
        scheduledAt: this.#clock.now(),
        firedAt: this.#clock.now(),
        status: enabled ? 'enabled' : 'disabled',
        ...(options.reason === undefined ? {} : { note: options.reason }),
      },
      this.#maxHistory,
    );
    return updated;
  }

  /** The first occurrence at or after now, or undefined if disabled or done. */
  #nextRunFor(entry: ScheduleEntry): number | undefined {
    if (!entry.enabled) return undefined;
    if (entry.maxRuns !== undefined && entry.totalRunCount >= entry.maxRuns) return undefined;
    return nextFireAfter(entry, this.#clock.now() - 1);
  }

  async #require(entryId: string): Promise<ScheduleEntry> {
    const entry = await this.#store.get(entryId);
    if (entry === undefined) throw new NotFoundError(`schedule entry ${entryId}`);
    return entry;
  }

  #publisher(): OccurrencePublisher {
    if (this.#stem === undefined) {
      throw new CapabilityNotSupportedError(
        'this SchedulerService',
        'publish',
        'no Stem client was given',
      );
    }
    return new OccurrencePublisher({
      store: this.#store,
      stem: this.#stem,
      maxHistory: this.#maxHistory,
    });
  }
}
