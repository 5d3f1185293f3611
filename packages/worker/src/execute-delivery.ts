/**
 * Runs one delivery to its end on the main thread: checks (unknown task, expiry,
 * revocation, rate limit, idempotency), the handler in the pool, then the result
 * record and the broker settlement in that order (result written, then ack), so a
 * crash between the two repeats the task rather than losing it. The caller's slot is
 * given back (`freeSlot`) once a handler has succeeded: recording and settling a
 * success do not hold up the next task. The STARTED record is sent as the handler
 * starts; a RETRY or FAILURE waits for it, SUCCESS need not (a terminal record is never
 * replaced by it). The failpoints mark the moments docs/concepts/worker.md describes.
 */
import {
  type Broker,
  computeRetryDelayMs,
  type Delivery,
  failpoint,
  type JsonValue,
  type LockStore,
  type RateLimiter,
  type ResultBackend,
  type RevocationStore,
  rateLimitKey,
  resolveRetryPolicyOptions,
  shouldRetry,
  type TaskDefinition,
  type TaskRegistry,
  UnknownTaskError,
} from '@stem/core';
import { type AfterTaskHook, afterTerminal } from './after-task';
import { passIdempotencyGate, rememberIdempotent } from './idempotency';
import type { PoolJob, PoolOutcome, TaskPool } from './pool/task-pool';
import type { TaskReporter } from './task-reporter';

export interface ExecutionServices {
  broker: Broker;
  registry: TaskRegistry;
  resultBackend: ResultBackend | undefined;
  revocationStore: RevocationStore | undefined;
  rateLimiter: RateLimiter;
  reporter: TaskReporter;
  pool: TaskPool;
  /** Lease per delivery, ms (idempotency claims last as long and renew with it). */
  leaseMs: number;
  /** Serialises runs that share an idempotency key. */
  lockStore: LockStore;
  /** How long an idempotency key remembers its task's result. */
  idempotencyTtlMs: number;
  workerId: string;
  /** True once the worker has begun to shut down. */
  isStopping(): boolean;
  random: () => number;
  onError: (error: unknown) => void;
  /** Runs after each terminal result, before the ack (canvas continuations). @default none */
  afterTask?: AfterTaskHook;
}

/** How a delivery ended, for counters and tests. */
export type ExecutionOutcome =
  | 'succeeded'
  | 'retried'
  | 'failed'
  | 'revoked'
  | 'expired'
  | 'unknown-task'
  | 'rate-limited'
  | 'deduplicated'
  | 'deferred'
  | 'released'
  | 'lease-lost';

export function executeDelivery(
  services: ExecutionServices,
  delivery: Delivery,
  freeSlot: () => void = () => {},
): Promise<ExecutionOutcome> {
  try {
    const { envelope } = delivery;
    const task = services.registry.get(envelope.task);
    if (task === undefined) return settleUnknownTask(services, delivery);
    if (envelope.expiresAt !== undefined && envelope.expiresAt <= Date.now()) {
      return settleExpired(services, delivery);
    }
    // Straight to the handler when no check applies: no extra promise per task.
    const checked =
      services.revocationStore !== undefined ||
      task.options.rateLimit !== undefined ||
      (envelope.idempotencyKey !== undefined && services.resultBackend !== undefined);
    if (!checked) return runAndSettle(services, task, delivery, freeSlot);
    return checkThenRun(services, task, delivery, freeSlot);
  } catch (error) {
    return Promise.reject(error);
  }
}

async function settleUnknownTask(
  services: ExecutionServices,
  delivery: Delivery,
): Promise<ExecutionOutcome> {
  const { broker, reporter } = services;
  const error = new UnknownTaskError(delivery.envelope.task).toRecord();
  await afterTerminal(
    services.afterTask,
    delivery,
    await reporter.result(delivery, 'FAILURE', { error }),
  );
  await broker.deadLetter(delivery, { code: 'UNKNOWN_TASK', message: error.message, error });
  await reporter.event(delivery, 'task.dead-lettered', { error });
  return 'unknown-task';
}

async function settleExpired(
  services: ExecutionServices,
  delivery: Delivery,
): Promise<ExecutionOutcome> {
  const { broker, reporter } = services;
  const note = 'expired before it started';
  await afterTerminal(
    services.afterTask,
    delivery,
    await reporter.result(delivery, 'REVOKED', { note }),
  );
  await broker.ack(delivery);
  await reporter.event(delivery, 'task.expired');
  return 'expired';
}

/** Revocation, rate limit and idempotency, each only when the worker or task has it. */
async function checkThenRun(
  services: ExecutionServices,
  task: TaskDefinition,
  delivery: Delivery,
  freeSlot: () => void,
): Promise<ExecutionOutcome> {
  const { envelope } = delivery;
  if (services.revocationStore !== undefined && (await settleIfRevoked(services, delivery))) {
    return 'revoked';
  }
  if (
    task.options.rateLimit !== undefined &&
    (await deferIfRateLimited(services, task, delivery))
  ) {
    return 'rate-limited';
  }
  if (envelope.idempotencyKey === undefined || services.resultBackend === undefined) {
    return runAndSettle(services, task, delivery, freeSlot);
  }
  const gate = await passIdempotencyGate(services, delivery);
  if (gate.kind === 'done') return 'deduplicated';
  if (gate.kind === 'busy') return 'deferred';
  try {
    // A task holding its idempotency key keeps its slot until the key is released, so
    // the next delivery of that key (one slot: one at a time) finds it done, not busy.
    return await runAndSettle(
      services,
      task,
      delivery,
      gate.kind === 'claimed' ? () => {} : freeSlot,
    );
  } finally {
    if (gate.kind === 'claimed') await gate.release();
  }
}

/**
 * The handler and what follows it. The hot path of every task, so a step that is not
 * configured (failpoints, idempotency, after-task hook, events) is skipped rather than
 * awaited: each await costs a promise even when there is nothing to wait for.
 */
async function runAndSettle(
  services: ExecutionServices,
  task: TaskDefinition,
  delivery: Delivery,
  freeSlot: () => void,
): Promise<ExecutionOutcome> {
  const { broker, reporter } = services;
  const startedAt = Date.now();
  const startedRecord = reporter.result(delivery, 'STARTED', { startedAt });
  const started = reporter.publishesEvents
    ? Promise.all([startedRecord, reporter.event(delivery, 'task.started')])
    : startedRecord;
  // Awaited below, once the handler is done; until then a failure must not go unhandled.
  started.catch(() => {});
  const outcome = await runTask(services, task, delivery);
  if (!outcome.ok) {
    // A failure keeps its slot until it is settled: its after-task hook may revoke the
    // siblings waiting here (a failed chord), which must not start meanwhile. And a
    // RETRY record must not be overtaken by the STARTED one.
    await started;
    return settleFailure(services, task, delivery, outcome, startedAt);
  }
  freeSlot();
  const payload = outcome.value as JsonValue;
  const beforeResult = failpoint('worker.after-handler-before-result');
  if (beforeResult !== undefined) await beforeResult;
  // SUCCESS need not wait for STARTED: result backends never let a late non-terminal
  // record replace a terminal one (conformance: terminal-not-overwritten-by-late-start).
  const record = await reporter.result(delivery, 'SUCCESS', { payload, startedAt });
  if (delivery.envelope.idempotencyKey !== undefined) {
    await rememberIdempotent(services, delivery, payload);
  }
  if (services.afterTask !== undefined) await afterTerminal(services.afterTask, delivery, record);
  const beforeAck = failpoint('worker.after-result-before-ack');
  if (beforeAck !== undefined) await beforeAck;
  await broker.ack(delivery);
  await started;
  if (reporter.publishesEvents) {
    await reporter.event(delivery, 'task.succeeded', { durationMs: Date.now() - startedAt });
  }
  return 'succeeded';
}

function runTask(
  services: ExecutionServices,
  task: TaskDefinition,
  delivery: Delivery,
): Promise<PoolOutcome> {
  const { envelope } = delivery;
  const softTimeLimitMs = envelope.softTimeLimitMs ?? task.options.softTimeLimitMs;
  const hardTimeLimitMs = envelope.hardTimeLimitMs ?? task.options.hardTimeLimitMs;
  const job: PoolJob = { jobId: delivery.leaseToken, envelope, queue: delivery.queue };
  if (softTimeLimitMs !== undefined) job.softTimeLimitMs = softTimeLimitMs;
  if (hardTimeLimitMs !== undefined) job.hardTimeLimitMs = hardTimeLimitMs;
  return services.pool.run(job, {
    onProgress: (progress) => {
      services.reporter.progress(delivery, progress).catch(services.onError);
    },
  });
}

async function settleFailure(
  services: ExecutionServices,
  task: TaskDefinition,
  delivery: Delivery,
  failure: Extract<PoolOutcome, { ok: false }>,
  startedAt: number,
): Promise<ExecutionOutcome> {
  const { envelope } = delivery;
  const { broker, reporter } = services;
  const { error } = failure;
  // The worker is shutting down and has already handed this message back.
  if (error.code === 'CLOSED' && services.isStopping()) return 'released';
  // Aborted because a lease extension was refused: another worker holds the message now.
  // A FAILURE written here would be what a waiting client sees, or would replace that
  // worker's SUCCESS; the outcome is the new holder's to record.
  if (error.code === 'LEASE_LOST') return 'lease-lost';
  if (await settleIfRevoked(services, delivery)) return 'revoked';
  const policy = resolveRetryPolicyOptions({
    ...task.options.retry,
    maxRetries: envelope.maxRetries,
  });
  const facts = {
    error: failure.thrown,
    type: error.type,
    retryable: error.retryable,
    ...(error.code === undefined ? {} : { code: error.code }),
  };
  if (shouldRetry(policy, facts, envelope.attempt)) {
    const delayMs = computeRetryDelayMs(policy, envelope.attempt, services.random);
    await reporter.result(delivery, 'RETRY', { error, startedAt });
    await failpoint('worker.during-retry-publish');
    await broker.nack(delivery, {
      delayMs,
      envelope: { ...envelope, attempt: envelope.attempt + 1, notBeforeAt: Date.now() + delayMs },
    });
    await reporter.event(delivery, 'task.retried', { error });
    return 'retried';
  }
  const recorded = reporter.redactError(delivery, error);
  const record = await reporter.result(delivery, 'FAILURE', { error: recorded, startedAt });
  await afterTerminal(services.afterTask, delivery, record);
  await broker.deadLetter(delivery, {
    code: 'TASK_FAILED',
    message: recorded.message,
    error: recorded,
  });
  await reporter.event(delivery, 'task.failed', {
    error: recorded,
    durationMs: Date.now() - startedAt,
  });
  return 'failed';
}

async function settleIfRevoked(services: ExecutionServices, delivery: Delivery): Promise<boolean> {
  const revocation = await services.revocationStore?.get(delivery.envelope.id);
  if (revocation === undefined) return false;
  const note = revocation.reason;
  const record = await services.reporter.result(delivery, 'REVOKED', { note });
  await afterTerminal(services.afterTask, delivery, record);
  await services.broker.ack(delivery);
  await services.reporter.event(delivery, 'task.revoked');
  return true;
}

/**
 * Over its rate, a task goes back to the queue until the bucket will have a token: it
 * waits without holding a slot, and never runs early. The envelope is handed back
 * unchanged, which restarts the delivery count (waiting is not a failed delivery).
 */
async function deferIfRateLimited(
  services: ExecutionServices,
  task: TaskDefinition,
  delivery: Delivery,
): Promise<boolean> {
  const limit = task.options.rateLimit;
  if (limit === undefined) return false;
  const tenant = limit.tenant?.(delivery.envelope.args);
  const decision = await services.rateLimiter.acquire(rateLimitKey(task.name, tenant), limit);
  if (decision.granted) return false;
  await services.broker.nack(delivery, {
    delayMs: decision.retryAfterMs,
    envelope: delivery.envelope,
  });
  return true;
}
