/**
 * A ResultBackend in this process's memory. Instances given the same state share
 * records, group counters and terminal notifications, like processes on one server:
 * a `waitFor` on one instance is woken by a `set` on another through a listener kept
 * in the state, never by polling. Every operation runs synchronously on the caller's
 * thread, so each read-modify-write (group counting above all) is atomic.
 */
import { ClosedError, NotFoundError, ResultTimeoutError } from '../errors/errors';
import type {
  GroupInit,
  GroupMemberResult,
  GroupProgress,
  GroupState,
  ResultBackend,
  ResultBackendCapabilities,
  SetResultOptions,
  WaitOptions,
} from './result-backend';
import { isTerminalStatus, type ResultMeta, type ResultRecord } from './result-record';

interface StoredRecord {
  record: ResultRecord;
  /** Epoch ms after which the record is gone; undefined = never. */
  expiresAt: number | undefined;
}

interface StoredGroup {
  size: number;
  results: Map<number, ResultRecord>;
  expiresAt: number | undefined;
  callbackClaimant?: string;
}

type TerminalListener = (record: ResultRecord) => void;

/** How often at most a write sweeps expired records out of memory, ms. */
const SWEEP_EVERY_MS = 1_000;

/** Records, groups and waiters shared by every InMemoryResultBackend built on it. */
export class InMemoryResultBackendState {
  readonly records = new Map<string, StoredRecord>();
  readonly groups = new Map<string, StoredGroup>();
  /** Called with the stored record whenever a task reaches a terminal status. */
  readonly terminalListeners = new Map<string, Set<TerminalListener>>();
  /** Epoch ms of the next opportunistic sweep of expired records and groups. */
  nextSweepAt = 0;
}

export interface InMemoryResultBackendOptions {
  /** Share results with other instances. @default a fresh, private state */
  state?: InMemoryResultBackendState;
}

export class InMemoryResultBackend implements ResultBackend {
  readonly capabilities: ResultBackendCapabilities = {
    adapter: 'in-memory',
    pushNotifications: true,
  };
  readonly #state: InMemoryResultBackendState;
  /** Rejects this instance's pending waits on close. */
  readonly #pendingWaits = new Set<(error: Error) => void>();
  #closed = false;

  constructor(options: InMemoryResultBackendOptions = {}) {
    this.#state = options.state ?? new InMemoryResultBackendState();
  }

  /** Stores `record` (ignored if it is non-terminal over a terminal one); `ttlMs` @default none. */
  async set(record: ResultRecord, options: SetResultOptions = {}): Promise<void> {
    this.#assertOpen();
    const nowAt = Date.now();
    this.#sweep(nowAt);
    const terminal = isTerminalStatus(record.status);
    const existing = this.#liveRecord(record.taskId, nowAt);
    if (!terminal && existing !== undefined && isTerminalStatus(existing.record.status)) return;
    const stored = structuredClone(record);
    this.#state.records.set(record.taskId, {
      record: stored,
      expiresAt: options.ttlMs === undefined ? undefined : nowAt + options.ttlMs,
    });
    if (terminal) this.#notifyTerminal(stored);
  }

  /** Merges `meta` into the record's meta and stamps `updatedAt`; NOT_FOUND if absent. */
  async updateMeta(taskId: string, meta: Partial<ResultMeta>): Promise<void> {
    this.#assertOpen();
    const nowAt = Date.now();
    const existing = this.#liveRecord(taskId, nowAt);
    if (existing === undefined) throw new NotFoundError(`result of task ${taskId}`);
    existing.record.meta = { ...existing.record.meta, ...structuredClone(meta) };
    existing.record.updatedAt = nowAt;
  }

  async get(taskId: string): Promise<ResultRecord | undefined> {
    this.#assertOpen();
    const existing = this.#liveRecord(taskId, Date.now());
    return existing === undefined ? undefined : structuredClone(existing.record);
  }

  /**
   * Resolves once the record is terminal (at once if it is). Rejects with RESULT_TIMEOUT
   * after `timeoutMs` (@default no limit), with the signal's reason on abort, and with
   * CLOSED if this instance closes first.
   */
  async waitFor(taskId: string, options: WaitOptions = {}): Promise<ResultRecord> {
    this.#assertOpen();
    options.signal?.throwIfAborted();
    const existing = this.#liveRecord(taskId, Date.now());
    if (existing !== undefined && isTerminalStatus(existing.record.status)) {
      return structuredClone(existing.record);
    }
    return this.#awaitTerminal(taskId, options);
  }

  async forget(taskId: string): Promise<void> {
    this.#assertOpen();
    this.#state.records.delete(taskId);
  }

  /** Creates the group counter unless a live one exists (then its state is kept). */
  async initGroup(init: GroupInit): Promise<void> {
    this.#assertOpen();
    const nowAt = Date.now();
    if (this.#liveGroup(init.groupId, nowAt) !== undefined) return;
    this.#state.groups.set(init.groupId, {
      size: init.size,
      results: new Map(),
      expiresAt: init.ttlMs === undefined ? undefined : nowAt + init.ttlMs,
    });
  }

  /**
   * Stores a member's result and counts distinct indexes; a repeated index changes
   * nothing. NOT_FOUND if the group was never initialised (or expired); RangeError for an
   * index outside 0…size-1.
   */
  async addGroupResult(member: GroupMemberResult): Promise<GroupProgress> {
    this.#assertOpen();
    const group = this.#liveGroup(member.groupId, Date.now());
    if (group === undefined) throw new NotFoundError(`group ${member.groupId}`);
    const { index } = member;
    if (!Number.isInteger(index) || index < 0 || index >= group.size) {
      throw new RangeError(`group ${member.groupId} has no member ${index} (size ${group.size})`);
    }
    if (group.results.has(index)) {
      return { completed: group.results.size, size: group.size, justCompleted: false };
    }
    group.results.set(index, structuredClone(member.record));
    const completed = group.results.size;
    return { completed, size: group.size, justCompleted: completed === group.size };
  }

  /** First claimant wins; the same claimant again is granted; NOT_FOUND if no group. */
  async claimGroupCallback(groupId: string, claimant: string): Promise<boolean> {
    this.#assertOpen();
    const group = this.#liveGroup(groupId, Date.now());
    if (group === undefined) throw new NotFoundError(`group ${groupId}`);
    group.callbackClaimant ??= claimant;
    return group.callbackClaimant === claimant;
  }

  async getGroup(groupId: string): Promise<GroupState | undefined> {
    this.#assertOpen();
    const group = this.#liveGroup(groupId, Date.now());
    if (group === undefined) return undefined;
    const results = Array.from({ length: group.size }, (_, index) => {
      const record = group.results.get(index);
      return record === undefined ? undefined : structuredClone(record);
    });
    return {
      groupId,
      size: group.size,
      completed: group.results.size,
      results,
      ...(group.callbackClaimant === undefined ? {} : { callbackClaimant: group.callbackClaimant }),
    };
  }

  async forgetGroup(groupId: string): Promise<void> {
    this.#assertOpen();
    this.#state.groups.delete(groupId);
  }

  /** Detaches this instance: its pending waits reject with CLOSED; shared data stays. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const error = new ClosedError('InMemoryResultBackend');
    for (const reject of [...this.#pendingWaits]) reject(error);
  }

  #awaitTerminal(taskId: string, options: WaitOptions): Promise<ResultRecord> {
    const { timeoutMs, signal } = options;
    return new Promise<ResultRecord>((resolve, reject) => {
      const listeners = this.#listenersFor(taskId);
      let timer: NodeJS.Timeout | undefined;
      const settle = (outcome: () => void): void => {
        listeners.delete(onTerminal);
        if (listeners.size === 0) this.#state.terminalListeners.delete(taskId);
        this.#pendingWaits.delete(onClose);
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        outcome();
      };
      const onTerminal: TerminalListener = (record) =>
        settle(() => resolve(structuredClone(record)));
      const onClose = (error: Error): void => settle(() => reject(error));
      const onAbort = (): void => settle(() => reject(signal?.reason));
      listeners.add(onTerminal);
      this.#pendingWaits.add(onClose);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined) {
        timer = setTimeout(
          () => settle(() => reject(new ResultTimeoutError(taskId, timeoutMs))),
          timeoutMs,
        );
        // Not unref'd: a caller awaiting a result with a deadline keeps the process alive until then.
      }
    });
  }

  #listenersFor(taskId: string): Set<TerminalListener> {
    let listeners = this.#state.terminalListeners.get(taskId);
    if (listeners === undefined) {
      listeners = new Set();
      this.#state.terminalListeners.set(taskId, listeners);
    }
    return listeners;
  }

  #notifyTerminal(record: ResultRecord): void {
    const listeners = this.#state.terminalListeners.get(record.taskId);
    if (listeners === undefined) return;
    // Copy first: each listener removes itself while we iterate.
    for (const listener of [...listeners]) listener(record);
  }

  #liveRecord(taskId: string, nowAt: number): StoredRecord | undefined {
    const stored = this.#state.records.get(taskId);
    if (stored?.expiresAt !== undefined && stored.expiresAt <= nowAt) {
      this.#state.records.delete(taskId);
      return undefined;
    }
    return stored;
  }

  #liveGroup(groupId: string, nowAt: number): StoredGroup | undefined {
    const group = this.#state.groups.get(groupId);
    if (group?.expiresAt !== undefined && group.expiresAt <= nowAt) {
      this.#state.groups.delete(groupId);
      return undefined;
    }
    return group;
  }

  // Reads drop expired entries they meet; this bounds memory for entries nobody reads
  // again, at the cost of one scan per SWEEP_EVERY_MS of writes.
  #sweep(nowAt: number): void {
    if (nowAt < this.#state.nextSweepAt) return;
    this.#state.nextSweepAt = nowAt + SWEEP_EVERY_MS;
    for (const taskId of [...this.#state.records.keys()]) this.#liveRecord(taskId, nowAt);
    for (const groupId of [...this.#state.groups.keys()]) this.#liveGroup(groupId, nowAt);
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClosedError('InMemoryResultBackend');
  }
}
