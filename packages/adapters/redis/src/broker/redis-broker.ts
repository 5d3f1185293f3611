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
import { Cluster } from 'ioredis';
import {
  type RedisClient,
  type RedisConnectionOptions,
  resolveRedisConnection,
  warnOncePerOutage,
} from '../connection/redis-connection';
import {
  type BrokerScriptName,
  defineBrokerScripts,
  runBrokerScript,
  runFencedScript,
} from './broker-scripts';
import { purgeDeadLetters, replayDeadLetters, selectDeadLetters } from './redis-dead-letters';
import { queueKeys } from './redis-queue-keys';
import { RedisSubscription } from './redis-subscription';

/** What the Redis broker can do (with the default envelope limit). Frozen. */
export const REDIS_BROKER_CAPABILITIES: Readonly<BrokerCapabilities> = Object.freeze({
  adapter: 'redis',
  delayedDelivery: Object.freeze({ native: true, maxDelayMs: null }),
  maxLeaseMs: 12 * 60 * 60 * 1000,
  maxEnvelopeBytes: 1_048_576,
  priorityLevels: 10,
  countsDeliveriesNatively: true,
  ordering: 'fifo',
});

/** Deletions per purge script call. */
const PURGE_BATCH = 1_000;

export interface RedisBrokerOptions extends RedisConnectionOptions {
  /** Largest encoded envelope accepted, in UTF-8 bytes. @default 1_048_576 (1 MiB) */
  maxEnvelopeBytes?: number;
  /**
   * Longest an idle consumer waits in its blocking read before looking again for leases
   * that other processes let lapse, in ms. Its own leases and due delayed messages
   * wake it exactly. @default 1_000
   */
  maxBlockMs?: number;
  /** How often each consumer trims its queue and prunes idle consumers, in ms. @default 30_000 */
  maintenanceIntervalMs?: number;
  /** Consumers idle this long with nothing pending are deleted, in ms. @default 600_000 */
  idleConsumerMs?: number;
}

/** What `maintainQueue` did. */
export interface QueueMaintenance {
  /** Stream entries trimmed (acknowledged ones only). */
  trimmed: number;
  /** Consumers deleted (only ones holding nothing). */
  consumersRemoved: number;
}

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

  /** Stores the message (ready, or delayed by server time). Throws ENVELOPE_INVALID, PAYLOAD_TOO_LARGE, CLOSED. */
  async publish(envelope: Envelope): Promise<void> {
    this.#assertOpen();
    const text = this.#encode(envelope);
    await this.#run(envelope.queue, 'stemBrokerPublish', [
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
    this.#assertOpen();
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
      keys: queueKeys(this.#namespace, options.queue),
      consumer,
      prefetch: options.prefetch,
      leaseMs,
      deliveryLimit,
      idleBaseMs: this.capabilities.maxLeaseMs,
    };
    const blocking = blockingDuplicate(this.#client, `stem-broker:${consumer}`);
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

  async ack(delivery: Delivery): Promise<void> {
    await this.#settle(delivery, 'stemBrokerAck', 'ack', []);
  }

  /**
   * Returns the message after `delayMs` (@default 0; never before a replacement
   * envelope's `notBeforeAt`), at the tail of its priority. A replacement must stay on
   * the delivery's queue; its delivery count starts again.
   */
  async nack(delivery: Delivery, options: NackOptions = {}): Promise<void> {
    this.#assertOpen();
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
    this.#assertOpen();
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
    this.#assertOpen();
    return selectDeadLetters(this.#client, this.#keys(query.queue), query, this.#maxBytes());
  }

  /**
   * Publishes one page of dead letters (at most `query.limit`, @default 100) again as
   * fresh messages with `attempt` 1 and delivery count 0, and removes them from the list.
   */
  async replayDeadLetters(query: DeadLetterQuery): Promise<number> {
    this.#assertOpen();
    return replayDeadLetters(this.#client, this.#keys(query.queue), query, this.#maxBytes());
  }

  /** Deletes one page of dead letters (at most `query.limit`, @default 100). */
  async purgeDeadLetters(query: DeadLetterQuery): Promise<number> {
    this.#assertOpen();
    return purgeDeadLetters(this.#client, this.#keys(query.queue), query, this.#maxBytes());
  }

  /** Deletes ready and delayed messages in batches (not atomically); leased ones stay. */
  async purge(queue: string): Promise<number> {
    this.#assertOpen();
    let total = 0;
    for (;;) {
      const deleted = Number(await this.#run(queue, 'stemBrokerPurge', [PURGE_BATCH]));
      total += deleted;
      if (deleted === 0) return total;
    }
  }

  async stats(queue: string): Promise<QueueStats> {
    this.#assertOpen();
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
    this.#assertOpen();
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
    this.#assertOpen();
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

  #keys(queue: string): string[] {
    return queueKeys(this.#namespace, queue);
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

  #assertOpen(): void {
    if (this.#closed) throw new ClosedError('RedisBroker');
  }
}

/**
 * A connection of its own for one consumer's blocking reads, named (CLIENT SETNAME) so an
 * operator can tell it apart in CLIENT LIST. Always owned by the broker.
 */
function blockingDuplicate(client: RedisClient, name: string): RedisClient {
  if (client instanceof Cluster) return warnOncePerOutage(client.duplicate());
  return warnOncePerOutage(client.duplicate({ connectionName: name }));
}

function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}
