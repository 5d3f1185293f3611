/**
 * The ScheduleStore contract: persistent schedule entries with optimistic locking,
 * a due index, atomic per-occurrence claims (so exactly one of many beat processes
 * fires each occurrence), capped run history and change notifications.
 */
import type { ScheduleEntry, ScheduleRun } from './schedule-entry';

/** Fields a caller supplies to create an entry; the store fills in the rest. */
export type NewScheduleEntry = Omit<
  ScheduleEntry,
  'createdAt' | 'updatedAt' | 'version' | 'totalRunCount'
> &
  Partial<Pick<ScheduleEntry, 'totalRunCount'>>;

/** A partial update; `id`, `createdAt` and `version` are the store's to set. */
export type ScheduleEntryPatch = Partial<Omit<ScheduleEntry, 'id' | 'createdAt' | 'version'>>;

export interface VersionCheck {
  /** Refuse with VERSION_CONFLICT unless the stored entry has this version. */
  expectedVersion?: number;
}

export interface ListEntriesQuery {
  enabled?: boolean;
  /** @default 1000 */
  limit?: number;
  /** Entry id to continue after (ids are listed in ascending order). */
  after?: string;
}

export interface ClaimRequest {
  entryId: string;
  /** The occurrence instant (epoch ms, before jitter). With entryId it is the occurrence id. */
  scheduledAt: number;
  /** Who claims: a beat instance id. */
  claimant: string;
  /** The entry version the claimant computed the occurrence from. */
  entryVersion: number;
}

export interface OccurrenceClaim {
  /** Deterministic id: `${entryId}@${scheduledAt}`. */
  occurrenceId: string;
  entryId: string;
  scheduledAt: number;
  claimant: string;
  claimedAt: number;
  /** Set once the task has been published. */
  publishedAt?: number;
  taskId?: string;
}

export type ClaimOutcome =
  | { claimed: true; claim: OccurrenceClaim }
  /** `taken`: someone claimed it first; `stale`: the entry changed since `entryVersion`. */
  | { claimed: false; reason: 'taken' | 'stale' | 'missing'; heldBy?: string };

export interface TakeOverRequest {
  occurrenceId: string;
  /** The new claimant: the reaping beat instance's id. */
  claimant: string;
  /**
   * Take over only a claim at least this old by the store's own clock, ms. The store's
   * clock, not the caller's, so skewed beat clocks agree on what is old.
   */
  minAgeMs: number;
}

export type TakeOverOutcome =
  /** The claim now names the caller and its `claimedAt` is the store's now. */
  | { takenOver: true; claim: OccurrenceClaim; previousClaimant: string }
  /** `published`: nothing to do; `fresh`: younger than `minAgeMs` (someone else's turn). */
  | { takenOver: false; reason: 'published' | 'fresh' | 'missing' };

export interface ScheduleChange {
  type: 'created' | 'updated' | 'deleted';
  entryId: string;
  /** Version after the change (the last version for `deleted`). */
  version: number;
}

export type ScheduleChangeListener = (change: ScheduleChange) => void;

export interface ScheduleStore {
  /** Creates an entry at version 1; ALREADY_EXISTS if the id is taken. */
  create(entry: NewScheduleEntry): Promise<ScheduleEntry>;

  get(entryId: string): Promise<ScheduleEntry | undefined>;

  list(query?: ListEntriesQuery): Promise<ScheduleEntry[]>;

  /**
   * Applies a partial update and bumps the version. NOT_FOUND if absent;
   * VERSION_CONFLICT if `expectedVersion` is given and stale.
   */
  update(entryId: string, patch: ScheduleEntryPatch, check?: VersionCheck): Promise<ScheduleEntry>;

  /** Deletes an entry and its history. Resolves false if it did not exist. */
  delete(entryId: string, check?: VersionCheck): Promise<boolean>;

  /** Enabled entries with `nextRunAt <= nowAt`, earliest first, without scanning all entries. */
  due(nowAt: number, limit: number): Promise<ScheduleEntry[]>;

  /**
   * Atomically claims one occurrence. Of any number of concurrent claimers of the same
   * occurrence exactly one gets `claimed: true`; a claim computed from an outdated entry
   * version is refused as `stale`.
   */
  claimOccurrence(request: ClaimRequest): Promise<ClaimOutcome>;

  /** Records that the claimed occurrence was published as `taskId`. */
  markOccurrencePublished(occurrenceId: string, taskId: string): Promise<void>;

  /** Claimed occurrences never published and claimed before `claimedBefore` (for the reaper). */
  listUnpublishedOccurrences(claimedBefore: number): Promise<OccurrenceClaim[]>;

  /**
   * Atomically hands an unpublished claim at least `minAgeMs` old to a new claimant and
   * restamps its `claimedAt`, so of any number of racing reapers exactly one wins, and
   * the next may try only once the winner's claim is itself `minAgeMs` old.
   */
  takeOverOccurrence(request: TakeOverRequest): Promise<TakeOverOutcome>;

  /** Appends to the entry's history, keeping the newest `maxHistory` runs. */
  appendRun(run: ScheduleRun, maxHistory: number): Promise<void>;

  /** The entry's history, newest first. */
  listRuns(entryId: string, limit: number): Promise<ScheduleRun[]>;

  /** Notifies every create, update and delete, from any process sharing the store. */
  watch(listener: ScheduleChangeListener): Promise<() => Promise<void>>;

  close(): Promise<void>;
}
