/**
 * A handle on a running canvas (a task, chain, group or chord): its status, its result
 * awaited through the backend's notification (no polling), progress, the execution
 * report, revoke and forget. Works from any process that has the frozen node, which
 * `toJSON()` gives as plain data.
 */
import {
  type ResultRecord,
  TaskFailedError,
  type TaskProgress,
  TaskRevokedError,
  type TaskStatus,
} from '@stem/core';
import type { CanvasAdapters } from '../continuation/canvas-adapters';
import { DEFAULT_REVOCATION_KEEP_MS } from '../continuation/canvas-adapters';
import type { CanvasNode } from '../node/canvas-node';
import { groupsOf, resultIdOf, taskIdsOf } from '../node/freeze-canvas';
import { buildExecutionReport, type ExecutionReport } from './execution-report';

export interface CanvasGetOptions {
  /** Give up after this many ms with RESULT_TIMEOUT. @default no limit */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface CanvasRevokeOptions {
  /** @default 'revoked by request' */
  reason?: string;
  /** Abort tasks already running. @default false */
  terminate?: boolean;
}

export interface CanvasProgress {
  /** Tasks of the canvas that have finished (links not counted). */
  completed: number;
  total: number;
  /** The latest progress a single-task canvas reported, if any. */
  task?: TaskProgress;
}

export class CanvasResult<T> {
  readonly node: CanvasNode;
  readonly #adapters: CanvasAdapters;

  constructor(node: CanvasNode, adapters: CanvasAdapters) {
    this.node = node;
    this.#adapters = adapters;
  }

  /** The canvas id (its root node's id). */
  get id(): string {
    return this.node.id;
  }

  /** The id whose record holds the final result. */
  get resultId(): string {
    return resultIdOf(this.node);
  }

  /** PENDING until the final result is written, then SUCCESS, FAILURE or REVOKED. */
  async status(): Promise<TaskStatus> {
    return (await this.#adapters.resultBackend.get(this.resultId))?.status ?? 'PENDING';
  }

  /** Waits for the final result; rejects with TASK_FAILED, TASK_REVOKED or RESULT_TIMEOUT. */
  async get(options: CanvasGetOptions = {}): Promise<T> {
    const record = await this.#adapters.resultBackend.waitFor(this.resultId, options);
    return unwrap<T>(record);
  }

  async progress(): Promise<CanvasProgress> {
    const backend = this.#adapters.resultBackend;
    const ids = taskIdsOf({ ...this.node, links: {} } as CanvasNode);
    const records = await Promise.all(ids.map((id) => backend.get(id)));
    const completed = records.filter(
      (record) => record !== undefined && ['SUCCESS', 'FAILURE', 'REVOKED'].includes(record.status),
    ).length;
    const single = this.node.kind === 'task' ? records[0]?.meta.progress : undefined;
    return {
      completed,
      total: ids.length,
      ...(single === undefined ? {} : { task: single }),
    };
  }

  /** Per member: status, attempts, duration, error; and the group's outcome. */
  report(): Promise<ExecutionReport> {
    return buildExecutionReport(this.#adapters.resultBackend, this.node);
  }

  /**
   * Revokes every task of the canvas (and marks its groups failed, which stops nested
   * steps not yet published). Needs the revocation store.
   */
  async revoke(options: CanvasRevokeOptions = {}): Promise<void> {
    const { revocationStore, eventBus } = this.#adapters;
    if (revocationStore === undefined) {
      throw new TypeError('revoking a canvas needs a revocation store in its adapters');
    }
    const reason = options.reason ?? 'revoked by request';
    const terminate = options.terminate ?? false;
    const revokedAt = Date.now();
    const expiresAt = revokedAt + (this.#adapters.revocationKeepMs ?? DEFAULT_REVOCATION_KEEP_MS);
    const ids = [...groupsOf(this.node).map((group) => group.id), ...taskIdsOf(this.node)];
    for (const taskId of ids) {
      await revocationStore.revoke({ taskId, reason, terminate, revokedAt, expiresAt });
      await eventBus?.publish({
        type: 'task.revoke-requested',
        taskId,
        reason,
        terminate,
        at: revokedAt,
      });
    }
  }

  /** Deletes every record and group counter of the canvas. */
  async forget(): Promise<void> {
    const backend = this.#adapters.resultBackend;
    for (const group of groupsOf(this.node)) {
      await backend.forgetGroup(group.id);
      await backend.forget(group.id);
    }
    for (const taskId of taskIdsOf(this.node)) await backend.forget(taskId);
  }

  /** The frozen canvas as plain data, to rebuild the handle elsewhere with `canvasResult`. */
  toJSON(): CanvasNode {
    return this.node;
  }
}

function unwrap<T>(record: ResultRecord): T {
  if (record.status === 'SUCCESS') return record.payload as T;
  if (record.status === 'REVOKED') {
    throw new TaskRevokedError(
      record.taskId,
      record.meta.note ?? record.error?.message ?? 'revoked',
    );
  }
  const error = record.error ?? { type: 'Error', message: 'failed without an error record' };
  throw new TaskFailedError(record.taskId, record.meta.taskName ?? 'canvas', error);
}
