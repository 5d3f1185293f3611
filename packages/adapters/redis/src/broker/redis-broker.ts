/**
 * The Redis Streams broker: one stream per priority with a consumer group, leases fenced
 * in Lua by a token, a reclaimer that walks the pending list with XAUTOCLAIM, delayed
 * messages in a sorted set moved by an atomic mover, and a dead-letter stream per
 * queue. Runs on the main thread; redis-subscription.ts is the consume loop and the
 * scripts under scripts/ are the operations (each with a header of keys and promises).
 */

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  assertBrokerCapability,
  type Broker,
  type BrokerCapabilities,
  ClosedError,
  type ConsumeOptions,
  DEFAULT_DELIVERY_LIMIT,
  DEFAULT_LEASE_MS,
  type DeadLetterPage,
  type DeadLetterQuery,
  type DeadLetterReason,
  type Delivery,
  type DeliveryHandler,
  type Envelope,
  EnvelopeInvalidError,
  encodeEnvelope,
  hasErrorCode,
  type NackOptions,
  type QueueStats,
  type Subscription,
} from '@stem/core';
import {
  queueKey,
  type RedisClient,
  type RedisConnectionOptions,
  resolveRedisConnection,
} from '../connection/redis-connection';
import { type BatchedCall, TickBatches } from '../connection/tick-batches';
import {
  type BrokerScriptName,
  copyBrokerScripts,
  defineBrokerScripts,
  runBrokerScript,
  runFencedScript,
} from './broker-scripts';
import {
  blockingDuplicate,
  type QueueMaintenance,
  REDIS_BROKER_CAPABILITIES,
  type RedisBrokerOptions,
  requirePositiveInteger,
} from './redis-broker-options';
import { purgeDeadLetters, replayDeadLetters, selectDeadLetters } from './redis-dead-letters';
import { queueKeys } from './redis-queue-keys';
import { RedisSubscription } from './redis-subscription';
import { sendAckBatch } from './send-ack-batch';

/** Deletions per purge script call. */
const PURGE_BATCH = 1_000;
/** Most acks one script call settles. */
const ACK_BATCH = 100;
/** Most messages one publish script call stores. */
const PUBLISH_BATCH = 200;

/** id, priority, envelope text, notBeforeAt (see publish-message.lua). */
type StoredMessage = [string, number, string, number];

export class RedisBroker implements Broker {
  readonly capabilities: BrokerCapabilities;
  readonly #client: RedisClient;
  readonly #ownsClient: boolean;
  readonly #namespace: string;
  readonly #options: Required<Omit<RedisBrokerOptions, keyof RedisConnectionOptions>>;
  readonly #instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly #subscriptions = new Set<RedisSubscription>();
  /** Lease token → the subscription holding that delivery (this instance only). */
  readonly #holders = new Map<string, RedisSubscription>();
  /** Publishes issued in this tick, by queue: stored together in one script call each. */
  readonly #publishes = new TickBatches<StoredMessage>(PUBLISH_BATCH, (queue, calls) =>
    this.#storeMessages(queue, calls),
  );
  /** Acks issued in this tick, by queue: they leave together in one script call each. */
  readonly #acks = new TickBatches<Delivery>(ACK_BATCH, (queue, calls) =>
    sendAckBatch(
      {
        run: (script, args) => this.#run(queue, script, args),
        holderOf: (token) => this.#holders.get(token),
        forget: (token) => this.#forget(token),
      },
      calls,
    ),
  );
  readonly #keysByQueue = new Map<string, string[]>();
  #subscriptionCount = 0;
  #closed = false;

  constructor(options: RedisBrokerOptions) {
    const maxEnvelopeBytes = options.maxEnvelopeBytes ?? REDIS_BROKER_CAPABILITIES.maxEnvelopeBytes;
    requirePositiveInteger('maxEnvelopeBytes', maxEnvelopeBytes);
    this.#options = {
      maxEnvelopeBytes,
      maxBlockMs: options.maxBlockMs ?? 1_000,
      maintenanceIntervalMs: options.maintenanceIntervalMs ?? 30_000,
      idleConsumerMs: options.idleConsumerMs ?? 600_000,
    };
    requirePositiveInteger('maxBlockMs', this.#options.maxBlockMs);
    requirePositiveInteger('maintenanceIntervalMs', this.#options.maintenanceIntervalMs);
    this.capabilities = Object.freeze({ ...REDIS_BROKER_CAPABILITIES, maxEnvelopeBytes });
    const connection = resolveRedisConnection(options);
    this.#client = connection.client;
    this.#ownsClient = connection.owned;
    this.#namespace = connection.namespace;
    defineBrokerScripts(this.#client);
  }

  /**
   * Stores the message (ready, or delayed by server time). Throws ENVELOPE_INVALID,
   * PAYLOAD_TOO_LARGE, CLOSED. Messages published in the same tick (a Promise.all of
   * enqueues) are stored by one script call, in order; each promise resolves once its
   * message is stored.
   */
  async publish(envelope: Envelope): Promise<void> {
    if (this.#closed) throw new ClosedError('RedisBroker');
    const text = this.#encode(envelope);
    return this.#publishes.add(envelope.queue, [
      randomUUID(),
      envelope.priority,
      text,
      envelope.notBeforeAt ?? 0,
    ]);
  }

  /**
   * Starts a consumer loop with its own blocking connection (a duplicate of the client).
   * Throws RangeError for a prefetch, lease or limit that is not a positive integer.
   */
  async consume(options: ConsumeOptions, handler: DeliveryHandler): Promise<Subscription> {
    this.#beginCommand();
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    const deliveryLimit = options.deliveryLimit ?? DEFAULT_DELIVERY_LIMIT;
    requirePositiveInteger('prefetch', options.prefetch);
    requirePositiveInteger('leaseMs', leaseMs);
    requirePositiveInteger('deliveryLimit', deliveryLimit);
    assertBrokerCapability(this.capabilities, { leaseMs });
    this.#subscriptionCount += 1;
    const consumer = `${this.#instanceId}:${this.#subscriptionCount}`;
    const settings = {
      ...this.#options,
      queue: options.queue,
      keys: this.#keys(options.queue),
      consumer,
      prefetch: options.prefetch,
      leaseMs,
      deliveryLimit,
      idleBaseMs: this.capabilities.maxLeaseMs,
      nudgeKey: queueKey(this.#namespace, options.queue, `nudge:${consumer}`),
    };
    const blocking = blockingDuplicate(this.#client, `stem-broker:${consumer}`);
    copyBrokerScripts(this.#client, blocking);
    const subscription = new RedisSubscription(settings, this.#client, blocking, handler, {
      hold: (token, holder) => this.#holders.set(token, holder),
      forget: (token) => this.#holders.delete(token),
    });
    this.#subscriptions.add(subscription);
    subscription.start();
    return {
      queue: options.queue,
      cancel: async () => {
        this.#subscriptions.delete(subscription);
        await subscription.cancel();
      },
    };
  }

  /**
   * Removes the message for good. Acks issued in the same tick share one script call
   * (one round trip and one script run for a busy worker's many settlements); each is
   * still fenced on its own token and rejects with LEASE_LOST alone.
   */
  async ack(delivery: Delivery): Promise<void> {
    if (this.#closed) throw new ClosedError('RedisBroker');
    return this.#acks.add(delivery.queue, delivery);
  }

  /**
   * Returns the message after `delayMs` (@default 0; never before a replacement
   * envelope's `notBeforeAt`), at the tail of its priority. A replacement must stay on
   * the delivery's queue; its delivery count starts again.
   */
  async nack(delivery: Delivery, options: NackOptions = {}): Promise<void> {
    this.#beginCommand();
    const delayMs = options.delayMs ?? 0;
    if (!Number.isFinite(delayMs)) throw new RangeError(`delayMs must be finite, got ${delayMs}`);
    assertBrokerCapability(this.capabilities, { delayMs });
    let replacement: [string, number, number] = ['', 0, 0];
    if (options.envelope !== undefined) {
      const text = this.#encode(options.envelope);
      if (options.envelope.queue !== delivery.queue) {
        throw new EnvelopeInvalidError('queue', `must stay "${delivery.queue}" when nacked`);
      }
      replacement = [text, options.envelope.priority, options.envelope.notBeforeAt ?? 0];
    }
    await this.#settle(delivery, 'stemBrokerNack', 'nack', [
      Math.max(0, Math.ceil(delayMs)),
      ...replacement,
    ]);
  }

  /** Hands the message back at once, first in line, without counting the delivery. */
  async release(delivery: Delivery): Promise<void> {
    await this.#settle(delivery, 'stemBrokerRelease', 'release', []);
  }

  /** Throws CAPABILITY_NOT_SUPPORTED for a lease over 12 h. Resolves to the new end (server time). */
  async extendLease(delivery: Delivery, leaseMs: number): Promise<number> {
    this.#beginCommand();
    requirePositiveInteger('leaseMs', leaseMs);
    assertBrokerCapability(this.capabilities, { leaseMs });
    const leaseExpiresAt = Number(
      await this.#fenced(delivery, 'stemBrokerExtend', 'extendLease', [
        leaseMs,
        this.capabilities.maxLeaseMs,
      ]),
    );
    this.#holders.get(delivery.leaseToken)?.extended(delivery.leaseToken, leaseExpiresAt);
    return leaseExpiresAt;
  }

  async deadLetter(delivery: Delivery, reason: DeadLetterReason): Promise<void> {
    await this.#settle(delivery, 'stemBrokerDeadLetter', 'deadLetter', [JSON.stringify(reason)]);
  }

  /** Oldest first; the cursor is the last dead-letter id of the previous page. */
  async listDeadLetters(query: DeadLetterQuery): Promise<DeadLetterPage> {
    this.#beginCommand();
    return selectDeadLetters(this.#client, this.#keys(query.queue), query, this.#maxBytes());
  }

  /**
   * Publishes one page of dead letters (at most `query.limit`, @default 100) again as
   * fresh messages with `attempt` 1 and delivery count 0, and removes them from the list.
   */
  async replayDeadLetters(query: DeadLetterQuery): Promise<number> {
    this.#beginCommand();
    return replayDeadLetters(this.#client, this.#keys(query.queue), query, this.#maxBytes());
  }

  /** Deletes one page of dead letters (at most `query.limit`, @default 100). */
  async purgeDeadLetters(query: DeadLetterQuery): Promise<number> {
    this.#beginCommand();
    return purgeDeadLetters(this.#client, this.#keys(query.queue), query, this.#maxBytes());
  }

  /** Deletes ready and delayed messages in batches (not atomically); leased ones stay. */
  async purge(queue: string): Promise<number> {
    this.#beginCommand();
    let total = 0;
    for (;;) {
      const deleted = Number(await this.#run(queue, 'stemBrokerPurge', [PURGE_BATCH]));
      total += deleted;
      if (deleted === 0) return total;
    }
  }

  async stats(queue: string): Promise<QueueStats> {
    this.#beginCommand();
    const [ready, delayed, inFlight, dead] = (await this.#run(
      queue,
      'stemBrokerStats',
      [],
    )) as number[];
    return {
      queue,
      ready: ready ?? 0,
      delayed: delayed ?? 0,
      inFlight: inFlight ?? 0,
      dead: dead ?? 0,
    };
  }

  /**
   * Trims acknowledged entries from the queue's streams (never a pending or unread one)
   * and deletes consumers idle for `idleConsumerMs` that hold nothing. Consumers run
   * this every `maintenanceIntervalMs`; call it for queues nobody consumes.
   */
  async maintainQueue(
    queue: string,
    options: { idleConsumerMs?: number } = {},
  ): Promise<QueueMaintenance> {
    this.#beginCommand();
    const trimmed = Number(await this.#run(queue, 'stemBrokerTrim', []));
    const idleMs = options.idleConsumerMs ?? this.#options.idleConsumerMs;
    const consumersRemoved = Number(await this.#run(queue, 'stemBrokerPrune', [idleMs]));
    return { trimmed, consumersRemoved };
  }

  /**
   * Cancels this instance's subscriptions (held deliveries stay leased and come back when
   * their leases end, as after a process exit) and quits the client if it created it.
   * Later calls throw CLOSED. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const subscriptions = [...this.#subscriptions];
    this.#subscriptions.clear();
    await Promise.allSettled(subscriptions.map((subscription) => subscription.cancel()));
    if (this.#ownsClient) await this.#client.quit().catch(() => this.#client.disconnect());
  }

  #storeMessages(queue: string, calls: Array<BatchedCall<StoredMessage>>): void {
    this.#run(
      queue,
      'stemBrokerPublish',
      calls.flatMap(({ input }) => input),
    ).then(
      () => {
        for (const { resolve } of calls) resolve(undefined);
      },
      (error: unknown) => {
        for (const { reject } of calls) reject(error);
      },
    );
  }

  async #settle(
    delivery: Delivery,
    script: BrokerScriptName,
    operation: string,
    args: Array<string | number>,
  ): Promise<void> {
    try {
      await this.#fenced(delivery, script, operation, args);
    } catch (error) {
      if (hasErrorCode(error, 'LEASE_LOST')) this.#forget(delivery.leaseToken);
      throw error;
    }
    this.#forget(delivery.leaseToken);
  }

  #fenced(
    delivery: Delivery,
    script: BrokerScriptName,
    operation: string,
    args: Array<string | number>,
  ): Promise<unknown> {
    this.#beginCommand();
    return runFencedScript(
      this.#client,
      script,
      this.#keys(delivery.queue),
      [delivery.messageId, delivery.leaseToken, ...args],
      operation,
    );
  }

  #forget(token: string): void {
    this.#holders.get(token)?.settled(token);
  }

  #run(queue: string, script: BrokerScriptName, args: Array<string | number>): Promise<unknown> {
    return runBrokerScript(this.#client, script, this.#keys(queue), args);
  }

  /** The queue's keys, built once per queue (every script call sends all of them). */
  #keys(queue: string): string[] {
    let keys = this.#keysByQueue.get(queue);
    if (keys === undefined) {
      keys = queueKeys(this.#namespace, queue);
      this.#keysByQueue.set(queue, keys);
    }
    return keys;
  }

  #maxBytes(): number {
    return this.capabilities.maxEnvelopeBytes;
  }

  /** Validated JSON text of `envelope`, after the capability checks (priority, delay). */
  #encode(envelope: Envelope): string {
    const text = encodeEnvelope(envelope, { maxBytes: this.capabilities.maxEnvelopeBytes });
    assertBrokerCapability(this.capabilities, {
      priority: envelope.priority,
      delayMs: (envelope.notBeforeAt ?? 0) - Date.now(),
    });
    return text;
  }

  /**
   * Every other command starts here: refused once closed, and sent after the publishes
   * and acks batched earlier in this tick, so commands reach Redis in the order they
   * were issued.
   */
  #beginCommand(): void {
    if (this.#closed) throw new ClosedError('RedisBroker');
    this.#publishes.flush();
    this.#acks.flush();
  }
}
