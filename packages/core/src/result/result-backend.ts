/**
 * The ResultBackend contract: where task outcomes are stored, awaited and
 * aggregated. @stem/testing's result-backend conformance suite checks it.
 */
import type { ResultMeta, ResultRecord } from './result-record';

export interface ResultBackendCapabilities {
  adapter: string;
  /** Whether `waitFor` is woken by the server (pub/sub, LISTEN) rather than polling. */
  pushNotifications: boolean;
}

export interface SetResultOptions {
  /** Time-to-live in ms, after which the record disappears. @default no expiry */
  ttlMs?: number;
}

export interface WaitOptions {
  /** Give up after this many ms with RESULT_TIMEOUT. @default no limit */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface GroupInit {
  groupId: string;
  /** Number of members; the group completes when this many distinct members reported. */
  size: number;
  ttlMs?: number;
}

export interface GroupMemberResult {
  groupId: string;
  /** 0-based position of the member. Reporting the same index again is a no-op. */
  index: number;
  record: ResultRecord;
}

export interface GroupProgress {
  /** Distinct members that have reported so far. */
  completed: number;
  size: number;
  /**
   * True for exactly one caller: the one whose report made `completed` reach `size`.
   * This is what fires a chord callback once, however many workers race.
   */
  justCompleted: boolean;
}

export interface GroupState {
  groupId: string;
  size: number;
  completed: number;
  /** Member records by index; missing members are undefined. */
  results: Array<ResultRecord | undefined>;
  /** Who holds the group's callback claim (see `claimGroupCallback`); undefined if nobody. */
  callbackClaimant?: string;
}

export interface ResultBackend {
  readonly capabilities: ResultBackendCapabilities;

  /**
   * Writes the whole record. A non-terminal write over a terminal record is ignored, so a
   * late duplicate delivery cannot move a finished task back to STARTED; a terminal
   * write always replaces.
   */
  set(record: ResultRecord, options?: SetResultOptions): Promise<void>;

  /** Merges into the record's meta (progress, heartbeat) without changing its status. */
  updateMeta(taskId: string, meta: Partial<ResultMeta>): Promise<void>;

  get(taskId: string): Promise<ResultRecord | undefined>;

  /**
   * Resolves with the record once it reaches a terminal status (at once if it already
   * has). Woken by the backend's notification, never by a polling loop.
   */
  waitFor(taskId: string, options?: WaitOptions): Promise<ResultRecord>;

  /** Deletes the record (and nothing else). */
  forget(taskId: string): Promise<void>;

  /** Creates a group counter. Creating an existing group again keeps its state. */
  initGroup(init: GroupInit): Promise<void>;

  /** Records one member's terminal result and atomically counts distinct members. */
  addGroupResult(member: GroupMemberResult): Promise<GroupProgress>;

  /**
   * Claims the right to fire the group's outcome (a chord callback, a fail-fast error
   * link). The first claimant wins, atomically across processes; the same claimant asking
   * again is granted again (so a claimant that crashed before firing can finish on
   * redelivery); every other claimant is refused. NOT_FOUND if the group does not exist.
   */
  claimGroupCallback(groupId: string, claimant: string): Promise<boolean>;

  getGroup(groupId: string): Promise<GroupState | undefined>;

  forgetGroup(groupId: string): Promise<void>;

  close(): Promise<void>;
}
