/**
 * A ResultBackend that forwards every call to the backend under test and keeps a copy
 * of every record a worker wrote, in order, so a case can check the whole status
 * sequence (STARTED, RETRY…, FAILURE) and that no record ever carried a secret. Main
 * thread only.
 */
import type {
  GroupInit,
  GroupMemberResult,
  GroupProgress,
  GroupState,
  ResultBackend,
  ResultBackendCapabilities,
  ResultMeta,
  ResultRecord,
  SetResultOptions,
  TaskStatus,
  WaitOptions,
} from '@stem/core';
import { OperationSequence } from './operation-sequence';

export interface RecordedWrite {
  record: ResultRecord;
  /** Position among every recorded operation, taken when the write was asked for. */
  sequence: number;
}

export class RecordingResultBackend implements ResultBackend {
  readonly writes: RecordedWrite[] = [];
  readonly #inner: ResultBackend;
  readonly #sequence: OperationSequence;

  /**
   * @param inner the backend under test; not closed by this wrapper
   * @param sequence shared with the other recorders of a case. @default a private one
   */
  constructor(inner: ResultBackend, sequence = new OperationSequence()) {
    this.#inner = inner;
    this.#sequence = sequence;
  }

  get capabilities(): ResultBackendCapabilities {
    return this.#inner.capabilities;
  }

  /** Every record written for one task, oldest first. */
  writesOf(taskId: string): RecordedWrite[] {
    return this.writes.filter((write) => write.record.taskId === taskId);
  }

  /** The statuses written for one task, in order. */
  statusesOf(taskId: string): TaskStatus[] {
    return this.writesOf(taskId).map((write) => write.record.status);
  }

  async set(record: ResultRecord, options?: SetResultOptions): Promise<void> {
    // Recorded before it is forwarded, for the same reason as RecordingBroker's settlements.
    const write: RecordedWrite = {
      record: structuredClone(record),
      sequence: this.#sequence.next(),
    };
    this.writes.push(write);
    try {
      await this.#inner.set(record, options);
    } catch (error) {
      this.writes.splice(this.writes.indexOf(write), 1);
      throw error;
    }
  }

  updateMeta(taskId: string, meta: Partial<ResultMeta>): Promise<void> {
    return this.#inner.updateMeta(taskId, meta);
  }

  get(taskId: string): Promise<ResultRecord | undefined> {
    return this.#inner.get(taskId);
  }

  waitFor(taskId: string, options?: WaitOptions): Promise<ResultRecord> {
    return this.#inner.waitFor(taskId, options);
  }

  forget(taskId: string): Promise<void> {
    return this.#inner.forget(taskId);
  }

  initGroup(init: GroupInit): Promise<void> {
    return this.#inner.initGroup(init);
  }

  addGroupResult(member: GroupMemberResult): Promise<GroupProgress> {
    return this.#inner.addGroupResult(member);
  }

  claimGroupCallback(groupId: string, claimant: string): Promise<boolean> {
    return this.#inner.claimGroupCallback(groupId, claimant);
  }

  getGroup(groupId: string): Promise<GroupState | undefined> {
    return this.#inner.getGroup(groupId);
  }

  forgetGroup(groupId: string): Promise<void> {
    return this.#inner.forgetGroup(groupId);
  }

  /** Closes nothing: the wrapped backend belongs to whoever opened it. */
  async close(): Promise<void> {}
}
