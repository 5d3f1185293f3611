/**
 * Deliberately broken stores: each is a real in-memory adapter with exactly one
 * promise broken, the way a careless server adapter would break it. The store
 * conformance suites must fail against every one of them; that is how we know the
 * suites can fail at all.
 */
import {
  type ClaimOutcome,
  type ClaimRequest,
  type GroupMemberResult,
  type GroupProgress,
  type GroupState,
  InMemoryLockStore,
  InMemoryRateLimiter,
  InMemoryResultBackend,
  type InMemoryResultBackendState,
  InMemoryScheduleStore,
  isTerminalStatus,
  type Lock,
  type RateLimitDecision,
  type ResultRecord,
  ResultTimeoutError,
  type ScheduleEntry,
  type ScheduleEntryPatch,
  type SetResultOptions,
  type TakeOverOutcome,
  type TakeOverRequest,
  type WaitOptions,
} from '@stem/core';

/** One shared value per namespace, so broken instances in a case share data like real ones. */
export function perNamespace<T>(create: () => T): (namespace: string) => T {
  const values = new Map<string, T>();
  return (namespace) => {
    let value = values.get(namespace);
    if (value === undefined) {
      value = create();
      values.set(namespace, value);
    }
    return value;
  };
}

/** Claims are an unconditional write: a second claimer "wins" too (SET without NX). */
export class DoubleWinScheduleStore extends InMemoryScheduleStore {
  override async claimOccurrence(request: ClaimRequest): Promise<ClaimOutcome> {
    const outcome = await super.claimOccurrence(request);
    if (outcome.claimed || outcome.reason !== 'taken') return outcome;
    return {
      claimed: true,
      claim: {
        occurrenceId: `${request.entryId}@${request.scheduledAt}`,
        entryId: request.entryId,
        scheduledAt: request.scheduledAt,
        claimant: request.claimant,
        claimedAt: Date.now(),
      },
    };
  }
}

/** Take-over ignores the claim's age: every racing reaper wins and republishes. */
export class AgeBlindTakeOverScheduleStore extends InMemoryScheduleStore {
  override takeOverOccurrence(request: TakeOverRequest): Promise<TakeOverOutcome> {
    return super.takeOverOccurrence({ ...request, minAgeMs: 0 });
  }
}

/** Drops the optimistic-lock check: the last writer silently wins. */
export class VersionBlindScheduleStore extends InMemoryScheduleStore {
  override update(entryId: string, patch: ScheduleEntryPatch): Promise<ScheduleEntry> {
    return super.update(entryId, patch);
  }

  override delete(entryId: string): Promise<boolean> {
    return super.delete(entryId);
  }
}

/** Lists every entry with a past nextRunAt as due, disabled ones included. */
export class DisabledDueScheduleStore extends InMemoryScheduleStore {
  override async due(nowAt: number, limit: number): Promise<ScheduleEntry[]> {
    const entries = await this.list();
    return entries
      .filter((entry) => entry.nextRunAt !== undefined && entry.nextRunAt <= nowAt)
      .sort((a, b) => (a.nextRunAt ?? 0) - (b.nextRunAt ?? 0))
      .slice(0, limit);
  }
}

export interface DoubleCountingResultBackendOptions {
  state: InMemoryResultBackendState;
  /** Report counts per group, shared by the instances of one namespace. */
  counters: Map<string, number>;
}

/** Counts every report, so a repeated index (a redelivered member) counts twice. */
export class DoubleCountingResultBackend extends InMemoryResultBackend {
  readonly #counters: Map<string, number>;

  constructor(options: DoubleCountingResultBackendOptions) {
    super({ state: options.state });
    this.#counters = options.counters;
  }

  override async addGroupResult(member: GroupMemberResult): Promise<GroupProgress> {
    const { size } = await super.addGroupResult(member);
    const completed = (this.#counters.get(member.groupId) ?? 0) + 1;
    this.#counters.set(member.groupId, completed);
    return { completed, size, justCompleted: completed === size };
  }

  override async getGroup(groupId: string): Promise<GroupState | undefined> {
    const group = await super.getGroup(groupId);
    if (group === undefined) return undefined;
    return { ...group, completed: this.#counters.get(groupId) ?? 0 };
  }
}

/** Never woken by a notification: looks at the record only when the timeout fires. */
export class TimeoutOnlyResultBackend extends InMemoryResultBackend {
  readonly #timers = new Set<NodeJS.Timeout>();

  override async waitFor(taskId: string, options: WaitOptions = {}): Promise<ResultRecord> {
    const timeoutMs = options.timeoutMs ?? 2_147_483_647;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref();
      this.#timers.add(timer);
    });
    const record = await this.get(taskId);
    if (record !== undefined && isTerminalStatus(record.status)) return record;
    throw new ResultTimeoutError(taskId, timeoutMs);
  }

  override close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    return super.close();
  }
}

/** Writes whatever arrives last, so a late STARTED moves a finished task back. */
export class LateStartOverwritesResultBackend extends InMemoryResultBackend {
  override async set(record: ResultRecord, options?: SetResultOptions): Promise<void> {
    if (!isTerminalStatus(record.status)) await this.forget(record.taskId);
    return super.set(record, options);
  }
}

/** Grants every claim: a chord guarded by it fires once per claimant. */
export class EveryoneWinsResultBackend extends InMemoryResultBackend {
  override async claimGroupCallback(groupId: string, claimant: string): Promise<boolean> {
    await super.claimGroupCallback(groupId, claimant);
    return true;
  }
}

/** Ignores ttlMs: records live forever. */
export class ImmortalResultBackend extends InMemoryResultBackend {
  override set(record: ResultRecord): Promise<void> {
    return super.set(record);
  }
}

/** Never limits: every acquire is granted. */
export class UnlimitedRateLimiter extends InMemoryRateLimiter {
  override async acquire(): Promise<RateLimitDecision> {
    return { granted: true };
  }
}

/** Renews and releases without checking the fencing token or owner. */
export class UnfencedLockStore extends InMemoryLockStore {
  override async renew(_lock: Lock, _ttlMs: number): Promise<boolean> {
    return true;
  }

  override async release(_lock: Lock): Promise<boolean> {
    return true;
  }
}
