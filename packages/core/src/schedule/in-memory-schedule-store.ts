/**
 * A ScheduleStore in this process's memory. Instances given the same state share
 * entries, claims, history and change notifications, like beat processes on one
 * server. Each operation is synchronous on the caller's thread, so a claim's
 * check-and-set cannot interleave with another. `due()` reads a sorted index of
 * enabled entries by `nextRunAt` instead of scanning every entry.
 */
import {
  AlreadyExistsError,
  ClosedError,
  NotFoundError,
  VersionConflictError,
} from '../errors/errors';
import { occurrenceId } from './occurrence-id';
import type { ScheduleEntry, ScheduleRun } from './schedule-entry';
import type {
  ClaimOutcome,
  ClaimRequest,
  ListEntriesQuery,
  NewScheduleEntry,
  OccurrenceClaim,
  ScheduleChange,
  ScheduleChangeListener,
  ScheduleEntryPatch,
  ScheduleStore,
  TakeOverOutcome,
  TakeOverRequest,
  VersionCheck,
} from './schedule-store';

/** `list()`'s page size when the query gives none. */
const DEFAULT_LIST_LIMIT = 1000;
/**
 * Claims kept per entry before the oldest published ones are dropped. A dropped claim
 * cannot be won again in practice: firing bumps the entry's version, so a late claimer
 * of that occurrence is refused as `stale`.
 */
const CLAIMS_KEPT_PER_ENTRY = 1000;
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

interface DueSlot {
  nextRunAt: number;
  entryId: string;
}

interface Watcher {
  listener: ScheduleChangeListener;
  active: boolean;
}

/** Everything shared by the InMemoryScheduleStores built on it (one memory:// name). */
export class InMemoryScheduleStoreState {
  readonly entries = new Map<string, ScheduleEntry>();
  /** Enabled entries with a `nextRunAt`, sorted by (nextRunAt, entryId). */
  readonly dueIndex: DueSlot[] = [];
  readonly claims = new Map<string, OccurrenceClaim>();
  /** Occurrence ids per entry, oldest claim first. */
  readonly claimsByEntry = new Map<string, Set<string>>();
  /** Run history per entry, oldest first. */
  readonly runs = new Map<string, ScheduleRun[]>();
  readonly watchers = new Set<Watcher>();
}

export interface InMemoryScheduleStoreOptions {
  /** Share entries with other instances. @default a fresh, private state */
  state?: InMemoryScheduleStoreState;
}

export class InMemoryScheduleStore implements ScheduleStore {
  readonly #state: InMemoryScheduleStoreState;
  readonly #ownWatchers = new Set<Watcher>();
  #closed = false;

  constructor(options: InMemoryScheduleStoreOptions = {}) {
    this.#state = options.state ?? new InMemoryScheduleStoreState();
  }

  async create(entry: NewScheduleEntry): Promise<ScheduleEntry> {
    this.#assertOpen();
    if (this.#state.entries.has(entry.id))
      throw new AlreadyExistsError(`schedule entry ${entry.id}`);
    const nowAt = Date.now();
    const created: ScheduleEntry = {
      ...structuredClone(entry),
      totalRunCount: entry.totalRunCount ?? 0,
      createdAt: nowAt,
      updatedAt: nowAt,
      version: 1,
    };
    this.#state.entries.set(created.id, created);
    indexDue(this.#state.dueIndex, undefined, created);
    this.#notify({ type: 'created', entryId: created.id, version: created.version });
    return structuredClone(created);
  }

  async get(entryId: string): Promise<ScheduleEntry | undefined> {
    this.#assertOpen();
    const entry = this.#state.entries.get(entryId);
    return entry === undefined ? undefined : structuredClone(entry);
  }

  /** Entries by ascending id after `after`, filtered by `enabled`, at most `limit` (@default 1000). */
  async list(query: ListEntriesQuery = {}): Promise<ScheduleEntry[]> {
    this.#assertOpen();
    const { enabled, after, limit = DEFAULT_LIST_LIMIT } = query;
    const page: ScheduleEntry[] = [];
    for (const entryId of [...this.#state.entries.keys()].sort()) {
      if (page.length >= limit) break;
      if (after !== undefined && entryId <= after) continue;
      const entry = this.#state.entries.get(entryId)!;
      if (enabled === undefined || entry.enabled === enabled) page.push(structuredClone(entry));
    }
    return page;
  }

  /** Applies `patch` (an `undefined` clears an optional field), bumping version and updatedAt. */
  async update(
    entryId: string,
    patch: ScheduleEntryPatch,
    check: VersionCheck = {},
  ): Promise<ScheduleEntry> {
    this.#assertOpen();
    const current = this.#state.entries.get(entryId);
    if (current === undefined) throw new NotFoundError(`schedule entry ${entryId}`);
    assertVersion(current, check);
    const next: ScheduleEntry = { ...current };
    const fields = next as unknown as Record<string, unknown>;
    for (const [field, value] of Object.entries(structuredClone(patch))) {
      if (field === 'id' || field === 'createdAt' || field === 'version') continue;
      if (value !== undefined) fields[field] = value;
      else if (!REQUIRED_FIELDS.has(field)) delete fields[field];
    }
    next.version = current.version + 1;
    next.updatedAt = Math.max(Date.now(), current.updatedAt);
    this.#state.entries.set(entryId, next);
    indexDue(this.#state.dueIndex, current, next);
    this.#notify({ type: 'updated', entryId, version: next.version });
    return structuredClone(next);
  }

  /** Deletes the entry with its history and claims; false if it did not exist. */
  async delete(entryId: string, check: VersionCheck = {}): Promise<boolean> {
    this.#assertOpen();
    const current = this.#state.entries.get(entryId);
    if (current === undefined) return false;
    assertVersion(current, check);
    this.#state.entries.delete(entryId);
    indexDue(this.#state.dueIndex, current, undefined);
    this.#state.runs.delete(entryId);
    for (const id of this.#state.claimsByEntry.get(entryId) ?? []) this.#state.claims.delete(id);
    this.#state.claimsByEntry.delete(entryId);
    this.#notify({ type: 'deleted', entryId, version: current.version });
    return true;
  }

  async due(nowAt: number, limit: number): Promise<ScheduleEntry[]> {
    this.#assertOpen();
    const entries: ScheduleEntry[] = [];
    for (const slot of this.#state.dueIndex) {
      if (entries.length >= limit || slot.nextRunAt > nowAt) break;
      entries.push(structuredClone(this.#state.entries.get(slot.entryId)!));
    }
    return entries;
  }

  /** Refuses `missing` if the entry is gone, `stale` if its version moved, else `taken` if claimed. */
  async claimOccurrence(request: ClaimRequest): Promise<ClaimOutcome> {
    this.#assertOpen();
    const entry = this.#state.entries.get(request.entryId);
    if (entry === undefined) return { claimed: false, reason: 'missing' };
    if (entry.version !== request.entryVersion) return { claimed: false, reason: 'stale' };
    const id = occurrenceId(request.entryId, request.scheduledAt);
    const held = this.#state.claims.get(id);
    if (held !== undefined) return { claimed: false, reason: 'taken', heldBy: held.claimant };
    const claim: OccurrenceClaim = {
      occurrenceId: id,
      entryId: request.entryId,
      scheduledAt: request.scheduledAt,
      claimant: request.claimant,
      claimedAt: Date.now(),
    };
    this.#state.claims.set(id, claim);
    this.#claimIdsOf(request.entryId).add(id);
    this.#pruneClaims(request.entryId);
    return { claimed: true, claim: { ...claim } };
  }

  /** NOT_FOUND if the occurrence was never claimed (or its entry was deleted). */
  async markOccurrencePublished(id: string, taskId: string): Promise<void> {
    this.#assertOpen();
    const claim = this.#state.claims.get(id);
    if (claim === undefined) throw new NotFoundError(`occurrence claim ${id}`);
    claim.publishedAt = Date.now();
    claim.taskId = taskId;
  }

  /** Unpublished claims made before `claimedBefore`, oldest claim first. */
  async listUnpublishedOccurrences(claimedBefore: number): Promise<OccurrenceClaim[]> {
    this.#assertOpen();
    const unpublished: OccurrenceClaim[] = [];
    for (const claim of this.#state.claims.values()) {
      if (claim.publishedAt === undefined && claim.claimedAt < claimedBefore) {
        unpublished.push({ ...claim });
      }
    }
    return unpublished.sort((a, b) => a.claimedAt - b.claimedAt);
  }

  /** Checks and restamps in one synchronous step, so racing reapers cannot both win. */
  async takeOverOccurrence(request: TakeOverRequest): Promise<TakeOverOutcome> {
    this.#assertOpen();
    const claim = this.#state.claims.get(request.occurrenceId);
    if (claim === undefined) return { takenOver: false, reason: 'missing' };
    if (claim.publishedAt !== undefined) return { takenOver: false, reason: 'published' };
    const nowAt = Date.now();
    if (nowAt - claim.claimedAt < request.minAgeMs) return { takenOver: false, reason: 'fresh' };
    const previousClaimant = claim.claimant;
    claim.claimant = request.claimant;
    claim.claimedAt = nowAt;
    return { takenOver: true, claim: { ...claim }, previousClaimant };
  }

  /** NOT_FOUND if the entry does not exist: history never outlives its entry. */
  async appendRun(run: ScheduleRun, maxHistory: number): Promise<void> {
    this.#assertOpen();
    if (!this.#state.entries.has(run.entryId)) {
      throw new NotFoundError(`schedule entry ${run.entryId}`);
    }
    let runs = this.#state.runs.get(run.entryId);
    if (runs === undefined) {
      runs = [];
      this.#state.runs.set(run.entryId, runs);
    }
    runs.push(structuredClone(run));
    const excess = runs.length - Math.max(0, Math.floor(maxHistory));
    if (excess > 0) runs.splice(0, excess);
  }

  async listRuns(entryId: string, limit: number): Promise<ScheduleRun[]> {
    this.#assertOpen();
    const runs = this.#state.runs.get(entryId) ?? [];
    const newest = runs.slice(Math.max(0, runs.length - Math.max(0, limit)));
    return newest.reverse().map((run) => structuredClone(run));
  }

  /** Listeners are called asynchronously (a microtask after the change) with a copy. */
  async watch(listener: ScheduleChangeListener): Promise<() => Promise<void>> {
    this.#assertOpen();
    const watcher: Watcher = { listener, active: true };
    this.#state.watchers.add(watcher);
    this.#ownWatchers.add(watcher);
    return async () => this.#unwatch(watcher);
  }

  /** Detaches this instance: its watchers stop; shared data stays for the others. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const watcher of [...this.#ownWatchers]) this.#unwatch(watcher);
  }

  #notify(change: ScheduleChange): void {
    for (const watcher of this.#state.watchers) {
      queueMicrotask(() => {
        if (!watcher.active) return;
        try {
          watcher.listener({ ...change });
        } catch (error) {
          process.emitWarning(
            `a schedule watcher threw on ${change.type} ${change.entryId}: ${String(error)}`,
            'StemScheduleWatcherWarning',
          );
        }
      });
    }
  }

  #unwatch(watcher: Watcher): void {
    watcher.active = false;
    this.#state.watchers.delete(watcher);
    this.#ownWatchers.delete(watcher);
  }

  #claimIdsOf(entryId: string): Set<string> {
    let ids = this.#state.claimsByEntry.get(entryId);
    if (ids === undefined) {
      ids = new Set();
      this.#state.claimsByEntry.set(entryId, ids);
    }
    return ids;
  }

  #pruneClaims(entryId: string): void {
    const ids = this.#claimIdsOf(entryId);
    for (const id of ids) {
      if (ids.size <= CLAIMS_KEPT_PER_ENTRY) return;
      if (this.#state.claims.get(id)?.publishedAt === undefined) continue;
      ids.delete(id);
      this.#state.claims.delete(id);
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClosedError('InMemoryScheduleStore');
  }
}

function assertVersion(current: ScheduleEntry, check: VersionCheck): void {
  const { expectedVersion } = check;
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    throw new VersionConflictError(
      `schedule entry ${current.id}`,
      expectedVersion,
      current.version,
    );
  }
}

/** Moves an entry's slot in the due index from its `before` to its `after` state. */
function indexDue(
  index: DueSlot[],
  before: ScheduleEntry | undefined,
  after: ScheduleEntry | undefined,
): void {
  const old = dueSlotOf(before);
  if (old !== undefined) {
    const at = lowerBound(index, old);
    if (index[at]?.entryId === old.entryId && index[at]?.nextRunAt === old.nextRunAt) {
      index.splice(at, 1);
    }
  }
  const slot = dueSlotOf(after);
  if (slot !== undefined) index.splice(lowerBound(index, slot), 0, slot);
}

function dueSlotOf(entry: ScheduleEntry | undefined): DueSlot | undefined {
  if (entry === undefined || !entry.enabled || entry.nextRunAt === undefined) return undefined;
  return { nextRunAt: entry.nextRunAt, entryId: entry.id };
}

/** First position whose slot is not before `slot` in (nextRunAt, entryId) order. */
function lowerBound(index: DueSlot[], slot: DueSlot): number {
  let low = 0;
  let high = index.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const probe = index[middle]!;
    const before =
      probe.nextRunAt < slot.nextRunAt ||
      (probe.nextRunAt === slot.nextRunAt && probe.entryId < slot.entryId);
    if (before) low = middle + 1;
    else high = middle;
  }
  return low;
}
