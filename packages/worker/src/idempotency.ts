/**
 * The idempotency helper: a task whose envelope carries an idempotency key performs its
 * work once per key. Before running, the worker looks for a stored success under the key
 * (then records that result and acks without running) and otherwise claims the key with
 * a lock, so two deliveries of the same key never run at the same time; the second waits
 * in the queue until the first has finished.
 */
import type { Delivery, JsonValue } from '@stem/core';
import { afterTerminal } from './after-task';
import type { ExecutionServices } from './execute-delivery';

/** Result-backend id under which an idempotency key remembers its task's result. */
export function idempotencyRecordId(taskName: string, key: string): string {
  return `idempotency:${taskName}:${key}`;
}

export type IdempotencyGate =
  /** No key (or no result backend to remember results in): run as usual. */
  | { kind: 'none' }
  /** The key already succeeded: its result was recorded for this task and the message acked. */
  | { kind: 'done' }
  /** Another delivery of the key is running: this message went back to the queue for later. */
  | { kind: 'busy' }
  /** This delivery holds the key until `release`. */
  | { kind: 'claimed'; release(): Promise<void> };

/** How soon a delivery that found its key busy is tried again. */
const BUSY_RETRY_MS = 1_000;

export async function passIdempotencyGate(
  services: ExecutionServices,
  delivery: Delivery,
): Promise<IdempotencyGate> {
  const { envelope } = delivery;
  const key = envelope.idempotencyKey;
  if (key === undefined || services.resultBackend === undefined) return { kind: 'none' };
  if (await settleIfAlreadyDone(services, delivery, key)) return { kind: 'done' };
  // The claim lives as long as the message's lease and is renewed with it, so a worker
  // that dies frees the key exactly when its message comes back.
  const owner = `${services.workerId}/${delivery.leaseToken}`;
  const lock = await services.lockStore.acquire(
    idempotencyRecordId(envelope.task, key),
    owner,
    services.leaseMs,
  );
  if (lock === undefined) {
    await services.broker.nack(delivery, { delayMs: BUSY_RETRY_MS, envelope });
    return { kind: 'busy' };
  }
  // The holder may have finished between the first look and the claim.
  if (await settleIfAlreadyDone(services, delivery, key)) {
    await services.lockStore.release(lock);
    return { kind: 'done' };
  }
  const renewal = setInterval(
    () => {
      services.lockStore.renew(lock, services.leaseMs).catch(services.onError);
    },
    Math.max(50, Math.floor(services.leaseMs / 3)),
  );
  return {
    kind: 'claimed',
    release: async () => {
      clearInterval(renewal);
      await services.lockStore.release(lock);
    },
  };
}

async function settleIfAlreadyDone(
  services: ExecutionServices,
  delivery: Delivery,
  key: string,
): Promise<boolean> {
  const { envelope } = delivery;
  const earlier = await services.resultBackend?.get(idempotencyRecordId(envelope.task, key));
  if (earlier?.status !== 'SUCCESS') return false;
  const record = await services.reporter.result(delivery, 'SUCCESS', {
    payload: earlier.payload ?? null,
    note: 'idempotency key seen before',
  });
  // The first run may have died between remembering the key and its after-task hook.
  await afterTerminal(services.afterTask, delivery, record);
  await services.broker.ack(delivery);
  await services.reporter.event(delivery, 'task.succeeded', { durationMs: 0 });
  return true;
}

/** Stores a successful result under the envelope's idempotency key, for `idempotencyTtlMs`. */
export async function rememberIdempotent(
  services: ExecutionServices,
  delivery: Delivery,
  payload: JsonValue,
): Promise<void> {
  const { envelope } = delivery;
  if (envelope.idempotencyKey === undefined || services.resultBackend === undefined) return;
  const now = Date.now();
  await services.resultBackend.set(
    {
      taskId: idempotencyRecordId(envelope.task, envelope.idempotencyKey),
      status: 'SUCCESS',
      payload,
      meta: { taskName: envelope.task, note: `first done by task ${envelope.id}`, finishedAt: now },
      updatedAt: now,
    },
    { ttlMs: services.idempotencyTtlMs },
  );
}
