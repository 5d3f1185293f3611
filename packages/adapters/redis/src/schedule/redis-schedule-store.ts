/**
 * A ScheduleStore on Redis (key layout in schedule-keys.ts). Entries are JSON in one
 * hash; sorted sets index them by id (for `list`) and by nextRunAt (for `due`, without
 * scanning). Every write, claim and history append is one Lua script, so versions,
 * indexes and claims never disagree; changes are announced on a pub/sub channel that
 * `watch` listens to on one subscriber connection per instance. Main thread only.
 */
import {
  AlreadyExistsError,
  type ClaimOutcome,
  type ClaimRequest,
  ClosedError,
  type ListEntriesQuery,
  type NewScheduleEntry,
  NotFoundError,
  type OccurrenceClaim,
  occurrenceId,
  type ScheduleChange,
  type ScheduleChangeListener,
  type ScheduleEntry,
  type ScheduleEntryPatch,
  type ScheduleRun,
  type ScheduleStore,
  type TakeOverOutcome,
  type TakeOverRequest,
  type VersionCheck,
  VersionConflictError,
} from '@stem/core';
import { ChannelSubscriber } from '../connection/channel-subscriber';
import {
  type RedisClient,
  type RedisConnectionOptions,
  resolveRedisConnection,
} from '../connection/redis-connection';
import { claimFromJson, dueArguments, newEntryBody, patchedEntryBody } from './schedule-entry-body';
import { type ScheduleKeys, scheduleKeys } from './schedule-keys';
import { ScheduleScripts } from './schedule-scripts';

/** `list()`'s page size when the query gives none. */
const DEFAULT_LIST_LIMIT = 1000;
/** Claims kept per entry before the oldest published ones are dropped. */
const CLAIMS_KEPT_PER_ENTRY = 1000;
/**
 * An update without expectedVersion re-reads and retries when another write slips in
 * between its read and its compare-and-set; past this many attempts it gives up.
 */
const MAX_UPDATE_ATTEMPTS = 50;

/** `url` or `client`, and the key `namespace` (@default 'stem'). */
export type RedisScheduleStoreOptions = RedisConnectionOptions;

export class RedisScheduleStore implements ScheduleStore {
  readonly #client: RedisClient;
  readonly #owned: boolean;
  readonly #keys: ScheduleKeys;
  readonly #scripts: ScheduleScripts;
  readonly #subscriber: ChannelSubscriber;
  #closed = false;

  constructor(options: RedisScheduleStoreOptions) {
    const { client, owned, namespace } = resolveRedisConnection(options);
    this.#client = client;
    this.#owned = owned;
    this.#keys = scheduleKeys(namespace);
    this.#scripts = new ScheduleScripts(client, this.#keys);
    this.#subscriber = new ChannelSubscriber(client, 'RedisScheduleStore');
  }

  /** Creates an entry at version 1, stamped with the server's time; ALREADY_EXISTS if taken. */
  async create(entry: NewScheduleEntry): Promise<ScheduleEntry> {
    this.#assertOpen();
    const body = newEntryBody(entry);
    const createdAt = await this.#scripts.create(
      entry.id,
      JSON.stringify(body),
      dueArguments(body),
    );
    if (createdAt === -1) throw new AlreadyExistsError(`schedule entry ${entry.id}`);
    return { ...body, createdAt, updatedAt: createdAt } as ScheduleEntry;
  }

  async get(entryId: string): Promise<ScheduleEntry | undefined> {
    this.#assertOpen();
    const text = await this.#client.hget(this.#keys.entries, entryId);
    return text === null ? undefined : (JSON.parse(text) as ScheduleEntry);
  }

  /** Entries by ascending id after `after`, filtered by `enabled`, at most `limit` (@default 1000). */
  async list(query: ListEntriesQuery = {}): Promise<ScheduleEntry[]> {
    this.#assertOpen();
    const { enabled, after, limit = DEFAULT_LIST_LIMIT } = query;
    if (limit <= 0) return [];
    const from = after === undefined ? '-' : `(${after}`;
    const page = (key: string) => this.#client.zrangebylex(key, from, '+', 'LIMIT', 0, limit);
    let ids: string[];
    if (enabled === true) ids = await page(this.#keys.enabledIds);
    else if (enabled === false) ids = await page(this.#keys.disabledIds);
    else {
      const [on, off] = await Promise.all([
        page(this.#keys.enabledIds),
        page(this.#keys.disabledIds),
      ]);
      // Both pages are sorted by byte order, which is what ZRANGEBYLEX continues from.
      ids = [...on, ...off].sort(compareBytes).slice(0, limit);
    }
    return this.#entriesOf(ids);
  }

  /**
   * Applies `patch` (an `undefined` clears an optional field), bumping version and
   * updatedAt. NOT_FOUND if absent; VERSION_CONFLICT if `expectedVersion` is stale.
   */
  async update(
    entryId: string,
    patch: ScheduleEntryPatch,
    check: VersionCheck = {},
  ): Promise<ScheduleEntry> {
    this.#assertOpen();
    const { expectedVersion } = check;
    for (let attempt = 1; ; attempt += 1) {
      const current = await this.get(entryId);
      if (current === undefined) throw new NotFoundError(`schedule entry ${entryId}`);
      const what = `schedule entry ${entryId}`;
      if (expectedVersion !== undefined && expectedVersion !== current.version) {
        throw new VersionConflictError(what, expectedVersion, current.version);
      }
      const body = patchedEntryBody(current, patch);
      const outcome = await this.#scripts.update(
        entryId,
        current,
        JSON.stringify(body),
        dueArguments(body),
      );
      if (outcome.kind === 'written')
        return { ...body, updatedAt: outcome.updatedAt } as ScheduleEntry;
      if (outcome.kind === 'missing') throw new NotFoundError(what);
      if (expectedVersion !== undefined || attempt >= MAX_UPDATE_ATTEMPTS) {
        throw new VersionConflictError(what, expectedVersion ?? current.version, outcome.version);
      }
    }
  }

  /** Deletes the entry with its history and claims; false if it did not exist. */
  async delete(entryId: string, check: VersionCheck = {}): Promise<boolean> {
    this.#assertOpen();
    const outcome = await this.#scripts.delete(entryId, check.expectedVersion);
    if (outcome.kind === 'conflict') {
      throw new VersionConflictError(
        `schedule entry ${entryId}`,
        check.expectedVersion!,
        outcome.version,
      );
    }
    return outcome.kind === 'deleted';
  }

  /** Enabled entries with `nextRunAt <= nowAt`, earliest first (ties by id), at most `limit`. */
  async due(nowAt: number, limit: number): Promise<ScheduleEntry[]> {
    this.#assertOpen();
    if (limit <= 0) return [];
    const ids = await this.#client.zrangebyscore(this.#keys.due, '-inf', nowAt, 'LIMIT', 0, limit);
    return this.#entriesOf(ids);
  }

  /** Refuses `missing` if the entry is gone, `stale` if its version moved, else `taken` if claimed. */
  async claimOccurrence(request: ClaimRequest): Promise<ClaimOutcome> {
    this.#assertOpen();
    const id = occurrenceId(request.entryId, request.scheduledAt);
    const reply = await this.#scripts.claim(request, id, CLAIMS_KEPT_PER_ENTRY);
    if (reply[0] === 'missing' || reply[0] === 'stale') return { claimed: false, reason: reply[0] };
    if (reply[0] === 'taken') return { claimed: false, reason: 'taken', heldBy: String(reply[1]) };
    const claim: OccurrenceClaim = {
      occurrenceId: id,
      entryId: request.entryId,
      scheduledAt: request.scheduledAt,
      claimant: request.claimant,
      claimedAt: Number(reply[1]),
    };
    return { claimed: true, claim };
  }

  /** NOT_FOUND if the occurrence was never claimed (or its entry was deleted). */
  async markOccurrencePublished(id: string, taskId: string): Promise<void> {
    this.#assertOpen();
    if ((await this.#scripts.markPublished(id, taskId)) === -1) {
      throw new NotFoundError(`occurrence claim ${id}`);
    }
  }

  /** Unpublished claims made before `claimedBefore`, oldest claim first. */
  async listUnpublishedOccurrences(claimedBefore: number): Promise<OccurrenceClaim[]> {
    this.#assertOpen();
    const ids = await this.#client.zrangebyscore(
      this.#keys.unpublished,
      '-inf',
      `(${claimedBefore}`,
    );
    if (ids.length === 0) return [];
    const texts = await this.#client.hmget(this.#keys.claims, ...ids);
    return texts.flatMap((text) => (text === null ? [] : [claimFromJson(text)]));
  }

  /** One script checks age (by the server's TIME) and restamps, so one reaper wins. */
  async takeOverOccurrence(request: TakeOverRequest): Promise<TakeOverOutcome> {
    this.#assertOpen();
    const reply = await this.#scripts.takeOver(
      request.occurrenceId,
      request.claimant,
      request.minAgeMs,
    );
    if (reply[0] !== 'taken-over') {
      return { takenOver: false, reason: reply[0] as 'missing' | 'published' | 'fresh' };
    }
    return { takenOver: true, claim: claimFromJson(reply[1]!), previousClaimant: reply[2]! };
  }

  /** NOT_FOUND if the entry does not exist: history never outlives its entry. */
  async appendRun(run: ScheduleRun, maxHistory: number): Promise<void> {
    this.#assertOpen();
    const kept = Math.max(0, Math.floor(maxHistory));
    if ((await this.#scripts.appendRun(run, kept)) === -1) {
      throw new NotFoundError(`schedule entry ${run.entryId}`);
    }
  }

  async listRuns(entryId: string, limit: number): Promise<ScheduleRun[]> {
    this.#assertOpen();
    if (limit <= 0) return [];
    const texts = await this.#client.lrange(this.#keys.runsOf(entryId), 0, Math.floor(limit) - 1);
    return texts.map((text) => JSON.parse(text) as ScheduleRun);
  }

  /**
   * Calls `listener` for every change from any process, from the moment this resolves
   * until the returned stop is called. A listener that throws is reported with
   * `process.emitWarning`. Pub/sub is best effort: changes made while the subscriber
   * is reconnecting are missed, so a beat should also re-read entries periodically.
   */
  async watch(listener: ScheduleChangeListener): Promise<() => Promise<void>> {
    this.#assertOpen();
    return this.#subscriber.listen(this.#keys.changes, (message) => notify(listener, message));
  }

  /** Stops this instance's watchers and quits the client if this instance created it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#subscriber.close();
    if (this.#owned) await this.#client.quit().catch(() => this.#client.disconnect());
  }

  async #entriesOf(ids: string[]): Promise<ScheduleEntry[]> {
    if (ids.length === 0) return [];
    const texts = await this.#client.hmget(this.#keys.entries, ...ids);
    // null: deleted between the index read and this one.
    return texts.flatMap((text) => (text === null ? [] : [JSON.parse(text) as ScheduleEntry]));
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClosedError('RedisScheduleStore');
  }
}

function notify(listener: ScheduleChangeListener, message: string): void {
  let change: ScheduleChange;
  try {
    const { type, entryId, version } = JSON.parse(message) as ScheduleChange;
    change = { type, entryId, version };
  } catch {
    process.emitWarning(
      'ignored a malformed schedule change message',
      'StemScheduleWatcherWarning',
    );
    return;
  }
  try {
    listener(change);
  } catch (error) {
    process.emitWarning(
      `a schedule watcher threw on ${change.type} ${change.entryId}: ${String(error)}`,
      'StemScheduleWatcherWarning',
    );
  }
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
