/**
 * The canonical result record: one per task id, the same shape in every backend
 * and language (status, payload, error, meta).
 */
import type { JsonValue } from '../envelope/envelope';
import type { ErrorRecord } from '../errors/stem-error';

export type TaskStatus = 'PENDING' | 'STARTED' | 'RETRY' | 'SUCCESS' | 'FAILURE' | 'REVOKED';

/** Statuses after which a record never changes again (until forgotten). */
export const TERMINAL_STATUSES: ReadonlySet<TaskStatus> = new Set([
  'SUCCESS',
  'FAILURE',
  'REVOKED',
]);

export function isTerminalStatus(status: TaskStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

export interface TaskProgress {
  /** Fraction done, 0 to 1. */
  fraction?: number;
  /** Free-form progress details from the task. */
  info?: JsonValue;
  /** Epoch ms of this progress sample. */
  reportedAt: number;
}

export interface ResultMeta {
  taskName?: string;
  queue?: string;
  /** Attempt that wrote this record (1-based). */
  attempt?: number;
  /** Id of the worker that wrote this record. */
  workerId?: string;
  progress?: TaskProgress;
  /** Epoch ms of the running task's last heartbeat. */
  lastHeartbeatAt?: number;
  /** Epoch ms at which the task started running. */
  startedAt?: number;
  /** Epoch ms at which the task reached a terminal status. */
  finishedAt?: number;
  /** Canvas: parent and group membership, so results can be aggregated. */
  parentId?: string;
  groupId?: string;
  /** Revocation reason, expiry, and other terminal notes. */
  note?: string;
  [extra: string]: JsonValue | TaskProgress | undefined;
}

export interface ResultRecord {
  taskId: string;
  status: TaskStatus;
  /** The task's return value; present with SUCCESS. */
  payload?: JsonValue;
  /** The error; present with FAILURE and RETRY (the error that caused the retry). */
  error?: ErrorRecord;
  meta: ResultMeta;
  /** Epoch ms of the last write. */
  updatedAt: number;
}
