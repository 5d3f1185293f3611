/**
 * The broker as `stem worker` hands it to the Worker: the same broker, with a worker
 * setting the Worker itself does not take: the default time limits are written into
 * deliveries whose envelope and task set none, so they reach any pool.
 */
import type {
  Broker,
  ConsumeOptions,
  DeadLetterQuery,
  DeadLetterReason,
  Delivery,
  DeliveryHandler,
  Envelope,
  NackOptions,
  TaskRegistry,
} from '@stem/core';

export interface WorkerBrokerSettings {
  softTimeLimitMs?: number;
  hardTimeLimitMs?: number;
  registry: TaskRegistry;
}

export class WorkerBroker implements Broker {
  readonly #inner: Broker;
  readonly #settings: WorkerBrokerSettings;

  constructor(inner: Broker, settings: WorkerBrokerSettings) {
    this.#inner = inner;
    this.#settings = settings;
  }

  get capabilities() {
    return this.#inner.capabilities;
  }

  consume(options: ConsumeOptions, handler: DeliveryHandler) {
    return this.#inner.consume(options, (delivery) => handler(this.#withLimits(delivery)));
  }

  #withLimits(delivery: Delivery): Delivery {
    const { softTimeLimitMs, hardTimeLimitMs, registry } = this.#settings;
    if (softTimeLimitMs === undefined && hardTimeLimitMs === undefined) return delivery;
    const task = registry.get(delivery.envelope.task);
    const envelope: Envelope = { ...delivery.envelope };
    if (
      softTimeLimitMs !== undefined &&
      envelope.softTimeLimitMs === undefined &&
      task?.options.softTimeLimitMs === undefined
    ) {
      envelope.softTimeLimitMs = softTimeLimitMs;
    }
    if (
      hardTimeLimitMs !== undefined &&
      envelope.hardTimeLimitMs === undefined &&
      task?.options.hardTimeLimitMs === undefined
    ) {
      envelope.hardTimeLimitMs = hardTimeLimitMs;
    }
    return { ...delivery, envelope };
  }

  publish(envelope: Envelope) {
    return this.#inner.publish(envelope);
  }
  ack(delivery: Delivery) {
    return this.#inner.ack(delivery);
  }
  nack(delivery: Delivery, options?: NackOptions) {
    return this.#inner.nack(delivery, options);
  }
  release(delivery: Delivery) {
    return this.#inner.release(delivery);
  }
  extendLease(delivery: Delivery, leaseMs: number) {
    return this.#inner.extendLease(delivery, leaseMs);
  }
  deadLetter(delivery: Delivery, reason: DeadLetterReason) {
    return this.#inner.deadLetter(delivery, reason);
  }
  listDeadLetters(query: DeadLetterQuery) {
    return this.#inner.listDeadLetters(query);
  }
  replayDeadLetters(query: DeadLetterQuery) {
    return this.#inner.replayDeadLetters(query);
  }
  purgeDeadLetters(query: DeadLetterQuery) {
    return this.#inner.purgeDeadLetters(query);
  }
  purge(queue: string) {
    return this.#inner.purge(queue);
  }
  stats(queue: string) {
    return this.#inner.stats(queue);
  }
  close() {
    return this.#inner.close();
  }
}
