/**
 * The embedded broker: every Broker promise kept inside one process, with no server.
 * Instances given the same InMemoryBrokerState share their queues, the way processes
 * share a Redis or RabbitMQ server (that is what one `memory://name` URL gives), while
 * each instance owns and closes only its own subscriptions. Messages pass through the
 * envelope codec on the way in, so what is stored is exactly what a wire would carry.
 * Runs on the main thread; see in-memory-queue.ts for the per-queue machinery.
 */

import type { Envelope } from '../envelope/envelope';
import { encodeEnvelope } from '../envelope/envelope-codec';
import { ClosedError, EnvelopeInvalidError, LeaseLostError } from '../errors/errors';
import type {
  Broker,
  BrokerCapabilities,
  ConsumeOptions,
  DeadLetterPage,
  DeadLetterQuery,
  DeadLetterReason,
  Delivery,
  DeliveryHandler,
  NackOptions,
  QueueStats,
  Subscription,
} from './broker';
import {
  assertBrokerCapability,
  DEFAULT_DELIVERY_LIMIT,
  DEFAULT_LEASE_MS,
} from './broker-capabilities';
import { InMemoryQueue, type QueueConsumer } from './in-memory-queue';

/** What the in-memory broker can do (with the default envelope limit). Frozen. */
export const IN_MEMORY_BROKER_CAPABILITIES: Readonly<BrokerCapabilities> = Object.freeze({
  adapter: 'memory',
  delayedDelivery: Object.freeze({ native: true, maxDelayMs: null }),
  maxLeaseMs: 12 * 60 * 60 * 1000,
  maxEnvelopeBytes: 1_048_576,
  priorityLevels: 10,
  countsDeliveriesNatively: true,
  ordering: 'fifo',
});

/**
 * The queues shared by every InMemoryBroker built on it (one memory:// name). Holds no
 * timers until a message is delayed or leased; all of them are unref'd.
 */
export class InMemoryBrokerState {
  readonly #queues = new Map<string, InMemoryQueue>();

  /** @internal The queue called `name`, created on first use. */
  queue(name: string): InMemoryQueue {
    let queue = this.#queues.get(name);
    if (queue === undefined) {
      queue = new InMemoryQueue(name);
      this.#queues.set(name, queue);
    }
    return queue;
  }

  /** @internal The queue called `name` if it was ever used. */
  findQueue(name: string): InMemoryQueue | undefined {
    return this.#queues.get(name);
  }

  /** @internal Stops every timer; only the broker that created this state calls it. */
  dispose(): void {
    for (const queue of this.#queues.values()) queue.dispose();
    this.#queues.clear();
  }
}

export interface InMemoryBrokerOptions {
  /** Share queues with other instances. @default a fresh state owned by this broker */
  state?: InMemoryBrokerState;
  /** Largest encoded envelope accepted, in UTF-8 bytes. @default 1_048_576 (1 MiB) */
  maxEnvelopeBytes?: number;
}

interface OwnSubscription {
  queue: InMemoryQueue;
  consumer: QueueConsumer;
}

export class InMemoryBroker implements Broker {
  readonly capabilities: BrokerCapabilities;
  readonly #state: InMemoryBrokerState;
  readonly #ownsState: boolean;
  readonly #subscriptions = new Set<OwnSubscription>();
  #closed = false;

  constructor(options: InMemoryBrokerOptions = {}) {
    const maxEnvelopeBytes =
      options.maxEnvelopeBytes ?? IN_MEMORY_BROKER_CAPABILITIES.maxEnvelopeBytes;
    if (!Number.isSafeInteger(maxEnvelopeBytes) || maxEnvelopeBytes < 1) {
      throw new RangeError(`maxEnvelopeBytes must be a positive integer, got ${maxEnvelopeBytes}`);
    }
    this.capabilities = Object.freeze({ ...IN_MEMORY_BROKER_CAPABILITIES, maxEnvelopeBytes });
    this.#ownsState = options.state === undefined;
    this.#state = options.state ?? new InMemoryBrokerState();
  }

  /**
   * Validates and stores a copy of `envelope` (later changes to the object do not
   * reach the queue). Throws ENVELOPE_INVALID, PAYLOAD_TOO_LARGE or CLOSED, storing
   * nothing.
   */
  async publish(envelope: Envelope): Promise<void> {
    this.#assertOpen();
    const stored = this.#encodeCopy(envelope);
    this.#state.queue(stored.queue).publish(stored, stored.notBeforeAt ?? 0);
  }

  /**
   * Registers a consumer on `options.queue`. Deliveries arrive from a microtask while
   * the consumer holds fewer than `prefetch`; several consumers on one queue (in this
   * or any instance sharing the state) are served round robin. Throws RangeError for a
   * prefetch, lease or limit that is not a positive integer.
   */
  async consume(options: ConsumeOptions, handler: DeliveryHandler): Promise<Subscription> {
    this.#assertOpen();
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    const deliveryLimit = options.deliveryLimit ?? DEFAULT_DELIVERY_LIMIT;
    requirePositiveInteger('prefetch', options.prefetch);
    requirePositiveInteger('leaseMs', leaseMs);
    requirePositiveInteger('deliveryLimit', deliveryLimit);
    assertBrokerCapability(this.capabilities, { leaseMs });
    const own: OwnSubscription = {
      queue: this.#state.queue(options.queue),
      consumer: { prefetch: options.prefetch, leaseMs, deliveryLimit, handler, held: 0 },
    };
    this.#subscriptions.add(own);
    own.queue.addConsumer(own.consumer);
    return {
      queue: options.queue,
      cancel: async () => this.#cancel(own),
    };
  }

  async ack(delivery: Delivery): Promise<void> {
    this.#assertOpen();
    this.#leasedQueue(delivery, 'ack').ack(delivery);
  }

  /**
   * Returns the message after `delayMs` (@default 0; never before a replacement
   * envelope's `notBeforeAt`). A replacement must stay on the delivery's queue (publish
   * to move it); it is validated like a published envelope.
   */
  async nack(delivery: Delivery, options: NackOptions = {}): Promise<void> {
    this.#assertOpen();
    const delayMs = options.delayMs ?? 0;
    if (!Number.isFinite(delayMs)) throw new RangeError(`delayMs must be finite, got ${delayMs}`);
    assertBrokerCapability(this.capabilities, { delayMs });
    let replacement: Envelope | undefined;
    if (options.envelope !== undefined) {
      replacement = this.#encodeCopy(options.envelope);
      if (replacement.queue !== delivery.queue) {
        throw new EnvelopeInvalidError('queue', `must stay "${delivery.queue}" when nacked`);
      }
    }
    const dueAt = Math.max(Date.now() + delayMs, replacement?.notBeforeAt ?? 0);
    this.#leasedQueue(delivery, 'nack').nack(delivery, dueAt, replacement);
  }

  async release(delivery: Delivery): Promise<void> {
    this.#assertOpen();
    this.#leasedQueue(delivery, 'release').release(delivery);
  }

  /** Throws CAPABILITY_NOT_SUPPORTED for a lease over 12 h. */
  async extendLease(delivery: Delivery, leaseMs: number): Promise<number> {
    this.#assertOpen();
    requirePositiveInteger('leaseMs', leaseMs);
    assertBrokerCapability(this.capabilities, { leaseMs });
    return this.#leasedQueue(delivery, 'extendLease').extendLease(delivery, leaseMs);
  }

  async deadLetter(delivery: Delivery, reason: DeadLetterReason): Promise<void> {
    this.#assertOpen();
    this.#leasedQueue(delivery, 'deadLetter').deadLetter(delivery, structuredClone(reason));
  }

  /** Oldest first; the cursor is opaque and stays valid while entries are removed. */
  async listDeadLetters(query: DeadLetterQuery): Promise<DeadLetterPage> {
    this.#assertOpen();
    const queue = this.#state.findQueue(query.queue);
    if (queue === undefined) return { entries: [] };
    return structuredClone(queue.deadLetters.select(query));
  }

  /**
   * Publishes one page of dead letters (at most `query.limit`, @default 100) again,
   * each as a fresh message with `attempt` 1 and delivery count 0 (the rest of the
   * envelope, id included, unchanged), and removes them from the list.
   */
  async replayDeadLetters(query: DeadLetterQuery): Promise<number> {
    this.#assertOpen();
    const queue = this.#state.findQueue(query.queue);
    if (queue === undefined) return 0;
    const { entries } = queue.deadLetters.select(query);
    queue.deadLetters.remove(entries);
    queue.republish(
      entries.map((entry) => ({ ...entry, envelope: { ...entry.envelope, attempt: 1 } })),
    );
    return entries.length;
  }

  /** Deletes one page of dead letters (at most `query.limit`, @default 100). */
  async purgeDeadLetters(query: DeadLetterQuery): Promise<number> {
    this.#assertOpen();
    const queue = this.#state.findQueue(query.queue);
    if (queue === undefined) return 0;
    return queue.deadLetters.remove(queue.deadLetters.select(query).entries);
  }

  async purge(queue: string): Promise<number> {
    this.#assertOpen();
    return this.#state.findQueue(queue)?.purge() ?? 0;
  }

  async stats(queue: string): Promise<QueueStats> {
    this.#assertOpen();
    const found = this.#state.findQueue(queue);
    return found?.stats() ?? { queue, ready: 0, delayed: 0, inFlight: 0, dead: 0 };
  }

  /**
   * Cancels this instance's subscriptions; their held deliveries stay leased and come
   * back when the leases end, as after a process exit. Other instances on the same
   * state keep working. Later calls throw CLOSED. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const own of [...this.#subscriptions]) this.#cancel(own);
    if (this.#ownsState) this.#state.dispose();
  }

  #cancel(own: OwnSubscription): void {
    if (!this.#subscriptions.delete(own)) return;
    own.queue.removeConsumer(own.consumer);
  }

  #encodeCopy(envelope: Envelope): Envelope {
    const text = encodeEnvelope(envelope, { maxBytes: this.capabilities.maxEnvelopeBytes });
    const copy = JSON.parse(text) as Envelope;
    assertBrokerCapability(this.capabilities, {
      priority: copy.priority,
      delayMs: (copy.notBeforeAt ?? 0) - Date.now(),
    });
    return copy;
  }

  /** The queue holding `delivery`'s lease; an unknown queue means the lease is gone. */
  #leasedQueue(delivery: Delivery, operation: string): InMemoryQueue {
    const queue = this.#state.findQueue(delivery.queue);
    if (queue === undefined) throw new LeaseLostError(delivery.messageId, operation);
    return queue;
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClosedError('InMemoryBroker');
  }
}

function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}
