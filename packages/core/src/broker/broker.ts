/**
 * The Broker contract: how task messages are published, leased to consumers,
 * acknowledged, retried and dead-lettered. docs/concepts/broker.md states the same
 * semantics in prose; @stem/testing's broker conformance suite checks them.
 *
 * Vocabulary: a message is *ready* (can be delivered), *delayed* (notBeforeAt in
 * the future), *in flight* (leased to one consumer until its lease expires), or
 * *dead* (in the queue's dead-letter list). Every delivery carries a fresh lease
 * token; ack, nack, extendLease and deadLetter are fenced by it.
 */
import type { Envelope } from '../envelope/envelope';
import type { ErrorRecord } from '../errors/stem-error';

/** What an adapter can do, declared once and checked by core. */
export interface BrokerCapabilities {
  /** Adapter name used in errors and docs, e.g. `memory`, `redis`. */
  adapter: string;
  /** Delayed delivery: native (server-side), or not at all (null). */
  delayedDelivery: { native: boolean; maxDelayMs: number | null } | null;
  /** Longest lease a single reservation or extension may ask for. */
  maxLeaseMs: number;
  /** Largest encoded envelope the broker accepts. */
  maxEnvelopeBytes: number;
  /** Number of distinct priority levels (1 means priorities are ignored). */
  priorityLevels: number;
  /** Whether the server counts deliveries itself (so counts survive any crash). */
  countsDeliveriesNatively: boolean;
  /** Delivery order among ready messages of one priority. */
  ordering: 'fifo' | 'best-effort';
}

/** One message leased to one consumer. Plain data. */
export interface Delivery {
  /** Broker-side handle of the stored message (not the task id). */
  messageId: string;
  queue: string;
  envelope: Envelope;
  /** Fences every later operation on this delivery. New for each delivery. */
  leaseToken: string;
  /** How many times this message has been delivered, this time included (1-based). */
  deliveryCount: number;
  /** Epoch ms at which the lease ends unless extended. */
  leaseExpiresAt: number;
}

export interface ConsumeOptions {
  queue: string;
  /**
   * Most deliveries this consumer holds unacknowledged at once: the broker hands
   * out no more until one is acked, nacked, released or dead-lettered.
   */
  prefetch: number;
  /** Lease length in ms for each delivery. @default 30_000 */
  leaseMs?: number;
  /**
   * Most deliveries of one message. A message whose next delivery would exceed it is
   * moved to the dead-letter list (reason `DELIVERY_LIMIT_EXCEEDED`) exactly once and
   * never delivered again. @default 10
   */
  deliveryLimit?: number;
}

/** Handler given each delivery. The consumer later acks or nacks it on the broker. */
export type DeliveryHandler = (delivery: Delivery) => void;

/** A running consumption; `cancel` stops new deliveries (held ones stay leased). */
export interface Subscription {
  readonly queue: string;
  cancel(): Promise<void>;
}

export interface NackOptions {
  /** Redeliver no sooner than this many ms from now. @default 0 */
  delayMs?: number;
  /**
   * Replaces the stored envelope (a retry with attempt + 1). The delivery count starts
   * again, since a retry is a new attempt, not a redelivery after a crash.
   */
  envelope?: Envelope;
}

export type DeadLetterReasonCode =
  | 'TASK_FAILED'
  | 'DELIVERY_LIMIT_EXCEEDED'
  | 'UNKNOWN_TASK'
  | 'ENVELOPE_INVALID'
  | 'EXPIRED'
  | 'REJECTED';

export interface DeadLetterReason {
  code: DeadLetterReasonCode;
  message: string;
  error?: ErrorRecord;
}

export interface DeadLetter {
  /** Id within the dead-letter list, used by replay and purge. */
  id: string;
  queue: string;
  envelope: Envelope;
  reason: DeadLetterReason;
  /** Epoch ms at which the message was dead-lettered. */
  deadAt: number;
  /** Deliveries the message had when it died. */
  deliveryCount: number;
}

export interface DeadLetterQuery {
  queue: string;
  /** Most entries returned. @default 100 */
  limit?: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
  /** Only these dead-letter ids. */
  ids?: readonly string[];
}

export interface DeadLetterPage {
  entries: DeadLetter[];
  /** Cursor for the next page, absent on the last one. */
  nextCursor?: string;
}

export interface QueueStats {
  queue: string;
  ready: number;
  delayed: number;
  inFlight: number;
  dead: number;
}

export interface Broker {
  readonly capabilities: BrokerCapabilities;

  /**
   * Stores a message durably before resolving. A message whose `notBeforeAt` lies in the
   * future is delayed and never delivered before it. Rejects an envelope over
   * `maxEnvelopeBytes` with PAYLOAD_TOO_LARGE, storing nothing.
   */
  publish(envelope: Envelope): Promise<void>;

  /** Starts delivering messages of one queue to `handler`, within the prefetch bound. */
  consume(options: ConsumeOptions, handler: DeliveryHandler): Promise<Subscription>;

  /** Removes the message for good. Refused with LEASE_LOST if the lease was lost. */
  ack(delivery: Delivery): Promise<void>;

  /**
   * Returns the message to its queue (after `delayMs`), optionally with a replaced
   * envelope. Refused with LEASE_LOST if the lease was lost.
   */
  nack(delivery: Delivery, options?: NackOptions): Promise<void>;

  /**
   * Hands back a message that was never started (shutdown): it is ready again at once
   * and this delivery does not count towards the delivery limit.
   */
  release(delivery: Delivery): Promise<void>;

  /**
   * Pushes the lease end to now + `leaseMs`. Resolves to the new `leaseExpiresAt`;
   * refused with LEASE_LOST if the lease was already lost.
   */
  extendLease(delivery: Delivery, leaseMs: number): Promise<number>;

  /** Moves the message to the dead-letter list. Refused with LEASE_LOST if lost. */
  deadLetter(delivery: Delivery, reason: DeadLetterReason): Promise<void>;

  listDeadLetters(query: DeadLetterQuery): Promise<DeadLetterPage>;

  /**
   * Publishes the selected dead letters again (attempt and delivery count reset) and
   * removes them from the list. Resolves to how many were replayed.
   */
  replayDeadLetters(query: DeadLetterQuery): Promise<number>;

  /** Deletes the selected dead letters. Resolves to how many were removed. */
  purgeDeadLetters(query: DeadLetterQuery): Promise<number>;

  /** Deletes every ready and delayed message of a queue (in-flight ones are kept). */
  purge(queue: string): Promise<number>;

  stats(queue: string): Promise<QueueStats>;

  /** Stops every subscription and releases what this broker created. */
  close(): Promise<void>;
}
