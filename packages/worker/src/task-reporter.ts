/**
 * Records what happens to a task: result records in the result backend and
 * lifecycle events on the event bus. Main thread only. Arguments and error texts go
 * out with the task's secret fields redacted.
 */
import {
  type Delivery,
  type ErrorRecord,
  type EventBus,
  type JsonValue,
  type ResultBackend,
  type ResultMeta,
  type ResultRecord,
  redactArgs,
  type TaskLifecycleEvent,
  type TaskProgress,
  type TaskRegistry,
  type TaskStatus,
} from '@stem/core';

export interface ResultFields {
  payload?: JsonValue;
  error?: ErrorRecord;
  startedAt?: number;
  note?: string;
}

export interface TaskReporterOptions {
  resultBackend: ResultBackend | undefined;
  eventBus: EventBus | undefined;
  registry: TaskRegistry;
  workerId: string;
  /** TTL of result records. */
  resultTtlMs: number | undefined;
}

/** Set options of a record kept until it is deleted (shared: never modified). */
const NO_TTL = Object.freeze({});

export class TaskReporter {
  readonly #options: TaskReporterOptions;

  constructor(options: TaskReporterOptions) {
    this.#options = options;
  }

  /** True when lifecycle events go anywhere (a worker without an event bus skips them). */
  get publishesEvents(): boolean {
    return this.#options.eventBus !== undefined;
  }

  /**
   * Writes the task's record (when there is a result backend) and returns it. Runs
   * twice per task, so it builds the record by assignment rather than by spreading
   * optional parts.
   */
  async result(
    delivery: Delivery,
    status: TaskStatus,
    fields: ResultFields = {},
  ): Promise<ResultRecord> {
    const { resultBackend, workerId, resultTtlMs } = this.#options;
    const { envelope } = delivery;
    const now = Date.now();
    const terminal = status === 'SUCCESS' || status === 'FAILURE' || status === 'REVOKED';
    const meta: ResultMeta = {
      taskName: envelope.task,
      queue: delivery.queue,
      attempt: envelope.attempt,
      workerId,
    };
    if (fields.startedAt !== undefined) meta.startedAt = fields.startedAt;
    if (terminal) meta.finishedAt = now;
    if (fields.note !== undefined) meta.note = fields.note;
    if (envelope.parentId !== undefined) meta.parentId = envelope.parentId;
    if (envelope.groupId !== undefined) meta.groupId = envelope.groupId;
    const record: ResultRecord = { taskId: envelope.id, status, meta, updatedAt: now };
    if (fields.payload !== undefined) record.payload = fields.payload;
    if (fields.error !== undefined) record.error = this.redactError(delivery, fields.error);
    if (resultBackend !== undefined) {
      await resultBackend.set(record, resultTtlMs === undefined ? NO_TTL : { ttlMs: resultTtlMs });
    }
    return record;
  }

  async event(
    delivery: Delivery,
    type: TaskLifecycleEvent['type'],
    extra: Partial<Pick<TaskLifecycleEvent, 'error' | 'durationMs'>> = {},
  ): Promise<void> {
    const { eventBus, workerId } = this.#options;
    if (eventBus === undefined) return;
    const { envelope } = delivery;
    await eventBus.publish({
      type,
      taskId: envelope.id,
      taskName: envelope.task,
      queue: delivery.queue,
      attempt: envelope.attempt,
      workerId,
      at: Date.now(),
      args: redactArgs(envelope.args, this.#secretArgs(delivery)),
      ...(extra.durationMs === undefined ? {} : { durationMs: extra.durationMs }),
      ...(extra.error === undefined ? {} : { error: this.redactError(delivery, extra.error) }),
    });
  }

  async progress(delivery: Delivery, progress: TaskProgress): Promise<void> {
    const { envelope } = delivery;
    await this.#options.resultBackend?.updateMeta(envelope.id, { progress });
    await this.#options.eventBus?.publish({
      type: 'task.progress',
      taskId: envelope.id,
      taskName: envelope.task,
      progress,
      at: progress.reportedAt,
    });
  }

  /** Stores the running task's latest heartbeat in its result meta. */
  async heartbeat(delivery: Delivery, at: number): Promise<void> {
    await this.#options.resultBackend?.updateMeta(delivery.envelope.id, { lastHeartbeatAt: at });
  }

  /**
   * The error with every secret argument value blanked out of its message and stack: a
   * task that echoes its card number in an exception must not leak it into results.
   */
  redactError(delivery: Delivery, error: ErrorRecord): ErrorRecord {
    const secrets = secretValues(delivery.envelope.args, this.#secretArgs(delivery));
    if (secrets.length === 0) return error;
    const scrub = (text: string) =>
      secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
    return {
      ...error,
      message: scrub(error.message),
      ...(error.stack === undefined ? {} : { stack: scrub(error.stack) }),
    };
  }

  #secretArgs(delivery: Delivery): readonly string[] | undefined {
    return this.#options.registry.get(delivery.envelope.task)?.options.secretArgs;
  }
}

/** The string forms of the secret fields' values (short ones would blank out ordinary words). */
function secretValues(args: JsonValue, secretArgs: readonly string[] | undefined): string[] {
  if (
    secretArgs === undefined ||
    typeof args !== 'object' ||
    args === null ||
    Array.isArray(args)
  ) {
    return [];
  }
  return secretArgs
    .map((field) => args[field])
    .filter((value): value is JsonValue => value !== undefined && value !== null)
    .map((value) => (typeof value === 'string' ? value : JSON.stringify(value)))
    .filter((text) => text.length >= 4);
}
