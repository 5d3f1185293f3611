/**
 * One queue of the in-memory broker: ready messages by priority, delayed messages in
 * due-time order, the leases in flight, the consumers sharing the queue, and its dead
 * letters. It runs on the process's main thread. Handlers are called from a microtask,
 * never on a caller's stack. Timers (one per lease here, one for the earliest delayed
 * message in DueTimeQueue) are unref'd so an idle broker never keeps Node alive.
 */
import { randomUUID } from 'node:crypto';
import type { Envelope } from '../envelope/envelope';
import { LeaseLostError } from '../errors/errors';
import type { DeadLetter, DeadLetterReason, Delivery, DeliveryHandler, QueueStats } from './broker';
import { DeadLetterList } from './dead-letter-list';
import { DueTimeQueue } from './due-time-queue';
import { invokeDeliveryHandler } from './invoke-delivery-handler';

/** Priorities 0..9, as the envelope allows. */
const PRIORITY_LEVELS = 10;
// setTimeout keeps delays in 32 bits; a longer lease re-arms when its timer fires.
const MAX_TIMER_MS = 2_147_483_647;

interface StoredMessage {
  readonly messageId: string;
  envelope: Envelope;
  /** Deliveries so far; the next delivery carries deliveryCount + 1. */
  deliveryCount: number;
}

interface Lease {
  readonly message: StoredMessage;
  readonly token: string;
  readonly consumer: QueueConsumer;
  expiresAt: number;
  timer: NodeJS.Timeout | undefined;
}

/** One subscription's claim on a queue: how much it may hold and how it is leased. */
export interface QueueConsumer {
  readonly prefetch: number;
  readonly leaseMs: number;
  readonly deliveryLimit: number;
  readonly handler: DeliveryHandler;
  /** Deliveries handed to this consumer and not yet settled or expired. */
  held: number;
}

export class InMemoryQueue {
  readonly name: string;
  readonly deadLetters: DeadLetterList;
  readonly #ready: StoredMessage[][] = Array.from({ length: PRIORITY_LEVELS }, () => []);
  #readyCount = 0;
  readonly #delayed = new DueTimeQueue<StoredMessage>((message) =>
    this.#makeReady(message, 'tail'),
  );
  readonly #leases = new Map<string, Lease>();
  #consumers: QueueConsumer[] = [];
  #nextConsumer = 0;
  #dispatchQueued = false;

  constructor(name: string) {
    this.name = name;
    this.deadLetters = new DeadLetterList(name);
  }

  /** Stores a new message, delayed until `dueAt` (epoch ms) when that lies ahead. */
  publish(envelope: Envelope, dueAt: number): void {
    this.#place({ messageId: randomUUID(), envelope, deliveryCount: 0 }, dueAt);
  }

  /** Stores dead letters again as new messages with a fresh delivery count. */
  republish(entries: readonly DeadLetter[]): void {
    for (const entry of entries) this.publish(entry.envelope, entry.envelope.notBeforeAt ?? 0);
  }

  addConsumer(consumer: QueueConsumer): void {
    this.#consumers.push(consumer);
    this.#queueDispatch();
  }

  removeConsumer(consumer: QueueConsumer): void {
    this.#consumers = this.#consumers.filter((candidate) => candidate !== consumer);
    this.#nextConsumer = 0;
  }

  ack(delivery: Delivery): void {
    this.#settle(this.#claim(delivery, 'ack'));
  }

  /** Returns the message, with `replacement` as its envelope (count restarting) if given. */
  nack(delivery: Delivery, dueAt: number, replacement: Envelope | undefined): void {
    const lease = this.#claim(delivery, 'nack');
    this.#settle(lease);
    if (replacement !== undefined) {
      lease.message.envelope = replacement;
      lease.message.deliveryCount = 0;
    }
    this.#place(lease.message, dueAt);
  }

  /** Puts the message back at the head of its priority, uncounted. */
  release(delivery: Delivery): void {
    const lease = this.#claim(delivery, 'release');
    this.#settle(lease);
    lease.message.deliveryCount -= 1;
    this.#makeReady(lease.message, 'head');
  }

  /** Returns the new leaseExpiresAt (epoch ms). */
  extendLease(delivery: Delivery, leaseMs: number): number {
    const lease = this.#claim(delivery, 'extendLease');
    lease.expiresAt = Date.now() + leaseMs;
    clearTimeout(lease.timer);
    this.#armLease(lease);
    return lease.expiresAt;
  }

  deadLetter(delivery: Delivery, reason: DeadLetterReason): void {
    const lease = this.#claim(delivery, 'deadLetter');
    this.#settle(lease);
    this.deadLetters.add(lease.message.envelope, reason, lease.message.deliveryCount);
  }

  /** Drops every ready and delayed message; returns how many. */
  purge(): number {
    const purged = this.#readyCount + this.#delayed.clear();
    for (const level of this.#ready) level.length = 0;
    this.#readyCount = 0;
    return purged;
  }

  stats(): QueueStats {
    return {
      queue: this.name,
      ready: this.#readyCount,
      delayed: this.#delayed.size,
      inFlight: this.#leases.size,
      dead: this.deadLetters.size,
    };
  }

  /** Stops every timer; the queue must not be used afterwards. */
  dispose(): void {
    this.#delayed.clear();
    for (const lease of this.#leases.values()) clearTimeout(lease.timer);
  }

  /**
   * The lease `delivery` names, if its holder still has it. A lease past its end counts
   * as lost even when its timer has not fired yet, and is expired on the spot.
   */
  #claim(delivery: Delivery, operation: string): Lease {
    const lease = this.#leases.get(delivery.messageId);
    if (lease === undefined || lease.token !== delivery.leaseToken) {
      throw new LeaseLostError(delivery.messageId, operation);
    }
    if (lease.expiresAt <= Date.now()) {
      this.#expire(lease);
      throw new LeaseLostError(delivery.messageId, operation);
    }
    return lease;
  }

  #settle(lease: Lease): void {
    clearTimeout(lease.timer);
    this.#leases.delete(lease.message.messageId);
    lease.consumer.held -= 1;
    this.#queueDispatch();
  }

  #expire(lease: Lease): void {
    this.#settle(lease);
    // Back to the head: it was ahead of everything that arrived while it was leased.
    this.#makeReady(lease.message, 'head');
  }

  #place(message: StoredMessage, dueAt: number): void {
    if (dueAt > Date.now()) this.#delayed.add(message, dueAt);
    else this.#makeReady(message, 'tail');
  }

  #makeReady(message: StoredMessage, end: 'head' | 'tail'): void {
    const level = this.#ready[priorityIndex(message.envelope.priority)]!;
    if (end === 'head') level.unshift(message);
    else level.push(message);
    this.#readyCount += 1;
    this.#queueDispatch();
  }

  #takeReady(): StoredMessage | undefined {
    for (let index = PRIORITY_LEVELS - 1; index >= 0; index -= 1) {
      const message = this.#ready[index]!.shift();
      if (message !== undefined) {
        this.#readyCount -= 1;
        return message;
      }
    }
    return undefined;
  }

  #armLease(lease: Lease): void {
    lease.timer = setTimeout(() => this.#onLeaseTimer(lease), timerDelay(lease.expiresAt));
    lease.timer.unref();
  }

  #onLeaseTimer(lease: Lease): void {
    if (this.#leases.get(lease.message.messageId) !== lease) return;
    if (Date.now() < lease.expiresAt) this.#armLease(lease);
    else this.#expire(lease);
  }

  #queueDispatch(): void {
    if (this.#dispatchQueued) return;
    this.#dispatchQueued = true;
    queueMicrotask(() => {
      this.#dispatchQueued = false;
      this.#dispatch();
    });
  }

  /**
   * Hands ready messages to consumers with room, round robin. Handlers run after the
   * loop so one that settles synchronously cannot change the queue mid-iteration.
   */
  #dispatch(): void {
    const handed: Array<{ handler: DeliveryHandler; delivery: Delivery }> = [];
    while (this.#readyCount > 0) {
      const consumer = this.#nextConsumerWithRoom();
      if (consumer === undefined) break;
      const message = this.#takeReady()!;
      if (message.deliveryCount >= consumer.deliveryLimit) {
        this.deadLetters.add(
          message.envelope,
          {
            code: 'DELIVERY_LIMIT_EXCEEDED',
            message: `delivered ${message.deliveryCount} times; the limit is ${consumer.deliveryLimit}`,
          },
          message.deliveryCount,
        );
        continue;
      }
      handed.push({ handler: consumer.handler, delivery: this.#lease(message, consumer) });
    }
    for (const { handler, delivery } of handed) invokeDeliveryHandler(handler, delivery);
  }

  #nextConsumerWithRoom(): QueueConsumer | undefined {
    const count = this.#consumers.length;
    for (let step = 0; step < count; step += 1) {
      const index = (this.#nextConsumer + step) % count;
      const consumer = this.#consumers[index]!;
      if (consumer.held < consumer.prefetch) {
        this.#nextConsumer = (index + 1) % count;
        return consumer;
      }
    }
    return undefined;
  }

  #lease(message: StoredMessage, consumer: QueueConsumer): Delivery {
    message.deliveryCount += 1;
    const lease: Lease = {
      message,
      token: randomUUID(),
      consumer,
      expiresAt: Date.now() + consumer.leaseMs,
      timer: undefined,
    };
    this.#leases.set(message.messageId, lease);
    consumer.held += 1;
    this.#armLease(lease);
    return {
      messageId: message.messageId,
      queue: this.name,
      envelope: structuredClone(message.envelope),
      leaseToken: lease.token,
      deliveryCount: message.deliveryCount,
      leaseExpiresAt: lease.expiresAt,
    };
  }
}

function priorityIndex(priority: number): number {
  return Math.min(PRIORITY_LEVELS - 1, Math.max(0, Math.trunc(priority) || 0));
}

function timerDelay(dueAt: number): number {
  return Math.min(MAX_TIMER_MS, Math.max(0, dueAt - Date.now()));
}
