/**
 * A Broker that forwards every call to the broker under test and records what a worker
 * did with it: each delivery handed to a consumer, and each settlement (ack, nack,
 * release, dead letter) the broker accepted. Worker conformance cases and thread-pool
 * tests read these to count deliveries per task and to check the order of settlements.
 * Main thread only.
 */
import type {
  Broker,
  BrokerCapabilities,
  ConsumeOptions,
  DeadLetterPage,
  DeadLetterQuery,
  DeadLetterReason,
  Delivery,
  DeliveryHandler,
  Envelope,
  NackOptions,
  QueueStats,
  Subscription,
} from '@stem/core';
import { OperationSequence } from './operation-sequence';

export interface RecordedDelivery {
  taskId: string;
  queue: string;
  attempt: number;
  /** The broker's count for this delivery (1 for a first delivery). */
  deliveryCount: number;
  /** Epoch ms at which the consumer's handler was called. */
  receivedAt: number;
  /** Position among every recorded operation of the case. */
  sequence: number;
}

export type SettlementKind = 'ack' | 'nack' | 'release' | 'deadLetter';

export interface RecordedSettlement {
  taskId: string;
  kind: SettlementKind;
  /** For a nack: the delay asked for, ms. */
  delayMs?: number;
  /** Epoch ms at which the settlement was asked for. */
  requestedAt: number;
  /** Position among every recorded operation, taken when the settlement was asked for. */
  sequence: number;
}

export class RecordingBroker implements Broker {
  readonly deliveries: RecordedDelivery[] = [];
  readonly settlements: RecordedSettlement[] = [];
  readonly #inner: Broker;
  readonly #sequence: OperationSequence;

  /**
   * @param inner the broker under test; not closed by this wrapper (its owner closes it)
   * @param sequence shared with the other recorders of a case. @default a private one
   */
  constructor(inner: Broker, sequence = new OperationSequence()) {
    this.#inner = inner;
    this.#sequence = sequence;
  }

  get capabilities(): BrokerCapabilities {
    return this.#inner.capabilities;
  }

  /** Deliveries of one task, in the order they arrived. */
  deliveriesOf(taskId: string): RecordedDelivery[] {
    return this.deliveries.filter((delivery) => delivery.taskId === taskId);
  }

  /** Settlements of one task the broker accepted (or is still applying), in the order asked. */
  settlementsOf(taskId: string): RecordedSettlement[] {
    return this.settlements.filter((settlement) => settlement.taskId === taskId);
  }

  publish(envelope: Envelope): Promise<void> {
    return this.#inner.publish(envelope);
  }

  consume(options: ConsumeOptions, handler: DeliveryHandler): Promise<Subscription> {
    return this.#inner.consume(options, (delivery) => {
      this.deliveries.push({
        taskId: delivery.envelope.id,
        queue: delivery.queue,
        attempt: delivery.envelope.attempt,
        deliveryCount: delivery.deliveryCount,
        receivedAt: Date.now(),
        sequence: this.#sequence.next(),
      });
      handler(delivery);
    });
  }

  ack(delivery: Delivery): Promise<void> {
    return this.#settle(delivery, 'ack', () => this.#inner.ack(delivery));
  }

  nack(delivery: Delivery, options?: NackOptions): Promise<void> {
    return this.#settle(
      delivery,
      'nack',
      () => this.#inner.nack(delivery, options),
      options?.delayMs ?? 0,
    );
  }

  release(delivery: Delivery): Promise<void> {
    return this.#settle(delivery, 'release', () => this.#inner.release(delivery));
  }

  deadLetter(delivery: Delivery, reason: DeadLetterReason): Promise<void> {
    return this.#settle(delivery, 'deadLetter', () => this.#inner.deadLetter(delivery, reason));
  }

  extendLease(delivery: Delivery, leaseMs: number): Promise<number> {
    return this.#inner.extendLease(delivery, leaseMs);
  }

  listDeadLetters(query: DeadLetterQuery): Promise<DeadLetterPage> {
    return this.#inner.listDeadLetters(query);
  }

  replayDeadLetters(query: DeadLetterQuery): Promise<number> {
    return this.#inner.replayDeadLetters(query);
  }

  purgeDeadLetters(query: DeadLetterQuery): Promise<number> {
    return this.#inner.purgeDeadLetters(query);
  }

  purge(queue: string): Promise<number> {
    return this.#inner.purge(queue);
  }

  stats(queue: string): Promise<QueueStats> {
    return this.#inner.stats(queue);
  }

  /** Closes nothing: the wrapped broker belongs to whoever opened it. */
  async close(): Promise<void> {}

  async #settle(
    delivery: Delivery,
    kind: SettlementKind,
    forward: () => Promise<void>,
    delayMs?: number,
  ): Promise<void> {
    // Recorded before it is forwarded: a broker on a server shows the change (in stats)
    // before this call returns, and a case reading stats must then find it recorded.
    const settlement: RecordedSettlement = {
      taskId: delivery.envelope.id,
      kind,
      requestedAt: Date.now(),
      sequence: this.#sequence.next(),
      ...(delayMs === undefined ? {} : { delayMs }),
    };
    this.settlements.push(settlement);
    try {
      await forward();
    } catch (error) {
      // A refused settlement (LEASE_LOST…) changed nothing: forget it.
      this.settlements.splice(this.settlements.indexOf(settlement), 1);
      throw error;
    }
  }
}
