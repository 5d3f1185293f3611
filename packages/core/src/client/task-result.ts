/**
 * A handle on one task's outcome. `get()` waits through the result backend's
 * notification (no polling loop) and resolves to the task's typed result, or
 * rejects with TASK_FAILED / TASK_REVOKED / RESULT_TIMEOUT.
 */
import { CapabilityNotSupportedError, TaskFailedError, TaskRevokedError } from '../errors/errors';
import type { ResultBackend } from '../result/result-backend';
import type { ResultRecord, TaskStatus } from '../result/result-record';

export interface TaskResultGetOptions {
  /** Give up after this many ms with RESULT_TIMEOUT. @default no limit */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export class TaskResult<TResult = unknown> {
  readonly id: string;
  readonly taskName: string | undefined;
  readonly #backend: ResultBackend | undefined;

  constructor(id: string, backend: ResultBackend | undefined, taskName?: string) {
    this.id = id;
    this.#backend = backend;
    this.taskName = taskName;
  }

  /** The stored record; undefined while the task is pending (nothing written yet). */
  async record(): Promise<ResultRecord | undefined> {
    return this.#requireBackend().get(this.id);
  }

  /** PENDING until a worker writes the first record. */
  async status(): Promise<TaskStatus> {
    return (await this.record())?.status ?? 'PENDING';
  }

  /** Waits for the task to finish and resolves to its result. */
  async get(options: TaskResultGetOptions = {}): Promise<TResult> {
    const record = await this.#requireBackend().waitFor(this.id, options);
    if (record.status === 'SUCCESS') return record.payload as TResult;
    if (record.status === 'REVOKED') {
      throw new TaskRevokedError(this.id, record.meta.note ?? 'revoked');
    }
    const error = record.error ?? {
      type: 'Error',
      message: 'the task failed without an error record',
    };
    throw new TaskFailedError(this.id, this.taskName ?? record.meta.taskName ?? 'task', error);
  }

  /** Deletes the stored result. */
  async forget(): Promise<void> {
    await this.#requireBackend().forget(this.id);
  }

  #requireBackend(): ResultBackend {
    if (this.#backend === undefined) {
      throw new CapabilityNotSupportedError(
        'this Stem client',
        'results',
        'no result backend was configured (pass resultBackend or resultBackendUrl)',
      );
    }
    return this.#backend;
  }
}
