/**
 * Runs one delivery to its end on the main thread: checks (unknown task, expiry,
 * revocation), the handler under middleware with an AbortSignal, then the result
 * record and the broker settlement in that order (result written, then ack), so a
 * crash between the two repeats the task rather than losing it.
 */
import {
  type Broker,
  computeRetryDelayMs,
  type Delivery,
  type ErrorRecord,
  type EventBus,
  type JsonValue,
  type Middleware,
  type ResultBackend,
  type ResultMeta,
  type RevocationStore,
  resolveRetryPolicyOptions,
  runExecuteMiddleware,
  shouldRetry,
  type TaskContext,
  type TaskDefinition,
  type TaskLifecycleEvent,
  type TaskRegistry,
  type TaskStatus,
  toErrorRecord,
  UnknownTaskError,
  validateTaskArguments,
} from '@stem/core';

export interface ExecutionServices {
  broker: Broker;
  registry: TaskRegistry;
  resultBackend: ResultBackend | undefined;
  eventBus: EventBus | undefined;
  revocationStore: RevocationStore | undefined;
  middleware: readonly Middleware[];
  workerId: string;
  /** TTL of result records. */
  resultTtlMs: number | undefined;
  random: () => number;
}

/** How a delivery ended, for counters and tests. */
export type ExecutionOutcome =
  | 'succeeded'
  | 'retried'
  | 'failed'
  | 'revoked'
  | 'expired'
  | 'unknown-task';

export async function executeDelivery(
  services: ExecutionServices,
  delivery: Delivery,
  signal: AbortSignal,
): Promise<ExecutionOutcome> {
  const { envelope } = delivery;
  const task = services.registry.get(envelope.task);
  if (task === undefined) {
    const error = new UnknownTaskError(envelope.task).toRecord();
    await writeResult(services, delivery, 'FAILURE', { error });
    await services.broker.deadLetter(delivery, {
      code: 'UNKNOWN_TASK',
      message: error.message,
      error,
    });
    await emit(services, delivery, 'task.dead-lettered', { error });
    return 'unknown-task';
  }
  if (envelope.expiresAt !== undefined && envelope.expiresAt <= Date.now()) {
    await writeResult(services, delivery, 'REVOKED', { note: 'expired before it started' });
    await services.broker.ack(delivery);
    await emit(services, delivery, 'task.expired');
    return 'expired';
  }
  const revocation = await services.revocationStore?.get(envelope.id);
  if (revocation !== undefined) {
    await writeResult(services, delivery, 'REVOKED', { note: revocation.reason });
    await services.broker.ack(delivery);
    await emit(services, delivery, 'task.revoked');
    return 'revoked';
  }

  const startedAt = Date.now();
  await writeResult(services, delivery, 'STARTED', { startedAt });
  await emit(services, delivery, 'task.started');
  try {
    const payload = await runTask(services, task, delivery, signal);
    await writeResult(services, delivery, 'SUCCESS', { payload: payload as JsonValue, startedAt });
    await services.broker.ack(delivery);
    await emit(services, delivery, 'task.succeeded', { durationMs: Date.now() - startedAt });
    return 'succeeded';
  } catch (thrown) {
    return settleFailure(services, task, delivery, thrown, startedAt);
  }
}

async function runTask(
  services: ExecutionServices,
  task: TaskDefinition,
  delivery: Delivery,
  signal: AbortSignal,
): Promise<unknown> {
  const { envelope } = delivery;
  const { value } = await validateTaskArguments(task, envelope.args);
  const context: TaskContext = {
    taskId: envelope.id,
    taskName: envelope.task,
    queue: delivery.queue,
    attempt: envelope.attempt,
    signal,
    headers: envelope.headers,
    envelope,
    reportProgress: async (progress) => {
      const sample = { ...progress, reportedAt: Date.now() };
      await services.resultBackend?.updateMeta(envelope.id, { progress: sample });
      await services.eventBus?.publish({
        type: 'task.progress',
        taskId: envelope.id,
        taskName: envelope.task,
        progress: sample,
        at: sample.reportedAt,
      });
    },
  };
  return runExecuteMiddleware(services.middleware, { task, args: value, context }, async () =>
    task.handler(value as never, context),
  );
}

async function settleFailure(
  services: ExecutionServices,
  task: TaskDefinition,
  delivery: Delivery,
  thrown: unknown,
  startedAt: number,
): Promise<ExecutionOutcome> {
  const { envelope } = delivery;
  const error = toErrorRecord(thrown);
  const policy = resolveRetryPolicyOptions({
    ...task.options.retry,
    maxRetries: envelope.maxRetries,
  });
  const facts = { error: thrown, type: error.type, retryable: error.retryable, ...codeOf(error) };
  if (shouldRetry(policy, facts, envelope.attempt)) {
    const delayMs = computeRetryDelayMs(policy, envelope.attempt, services.random);
    await writeResult(services, delivery, 'RETRY', { error, startedAt });
    await services.broker.nack(delivery, {
      delayMs,
      envelope: { ...envelope, attempt: envelope.attempt + 1, notBeforeAt: Date.now() + delayMs },
    });
    await emit(services, delivery, 'task.retried', { error });
    return 'retried';
  }
  await writeResult(services, delivery, 'FAILURE', { error, startedAt });
  await services.broker.deadLetter(delivery, {
    code: 'TASK_FAILED',
    message: error.message,
    error,
  });
  await emit(services, delivery, 'task.failed', { error, durationMs: Date.now() - startedAt });
  return 'failed';
}

interface ResultFields {
  payload?: JsonValue;
  error?: ErrorRecord;
  startedAt?: number;
  note?: string;
}

async function writeResult(
  services: ExecutionServices,
  delivery: Delivery,
  status: TaskStatus,
  fields: ResultFields,
): Promise<void> {
  if (services.resultBackend === undefined) return;
  const { envelope } = delivery;
  const now = Date.now();
  const terminal = status === 'SUCCESS' || status === 'FAILURE' || status === 'REVOKED';
  const meta: ResultMeta = {
    taskName: envelope.task,
    queue: delivery.queue,
    attempt: envelope.attempt,
    workerId: services.workerId,
    ...(fields.startedAt === undefined ? {} : { startedAt: fields.startedAt }),
    ...(terminal ? { finishedAt: now } : {}),
    ...(fields.note === undefined ? {} : { note: fields.note }),
    ...(envelope.parentId === undefined ? {} : { parentId: envelope.parentId }),
    ...(envelope.groupId === undefined ? {} : { groupId: envelope.groupId }),
  };
  await services.resultBackend.set(
    {
      taskId: envelope.id,
      status,
      meta,
      updatedAt: now,
      ...(fields.payload === undefined ? {} : { payload: fields.payload }),
      ...(fields.error === undefined ? {} : { error: fields.error }),
    },
    services.resultTtlMs === undefined ? {} : { ttlMs: services.resultTtlMs },
  );
}

async function emit(
  services: ExecutionServices,
  delivery: Delivery,
  type: TaskLifecycleEvent['type'],
  extra: Partial<Pick<TaskLifecycleEvent, 'error' | 'durationMs'>> = {},
): Promise<void> {
  if (services.eventBus === undefined) return;
  const { envelope } = delivery;
  await services.eventBus.publish({
    type,
    taskId: envelope.id,
    taskName: envelope.task,
    queue: delivery.queue,
    attempt: envelope.attempt,
    workerId: services.workerId,
    at: Date.now(),
    ...extra,
  });
}

function codeOf(error: ErrorRecord): { code?: string } {
  return error.code === undefined ? {} : { code: error.code };
}
