/**
 * One `consume()` on Redis: a loop on the main thread that reserves deliveries within
 * the prefetch bound, hands them to the handler from a microtask, and otherwise waits.
 * Each round is one pipelined round trip (the delayed mover, the reserve script with its
 * reclaimer, and now and then trimming and consumer pruning). Between rounds it blocks
 * in XREAD on its own duplicate connection until an entry is added, the next lease or
 * delay ends, or `maxBlockMs` passes. Errors (a reconnect, LOADING, READONLY, UNBLOCKED)
 * are reported and retried with backoff; the loop only ends when cancelled.
 */
import { randomUUID } from 'node:crypto';
import {
  type Delivery,
  type DeliveryHandler,
  decodeEnvelope,
  invokeDeliveryHandler,
  type Subscription,
} from '@stem/core';
import type { RedisClient } from '../connection/redis-connection';
import { queueBrokerScript, runFencedScript } from './broker-scripts';
import { streamKeys } from './redis-queue-keys';

/** Most deliveries one reserve call returns, so a huge prefetch never blocks Redis long. */
const RESERVE_BATCH = 500;
/** Most delayed messages one mover call promotes. */
const PROMOTE_BATCH = 500;
/** Backoff after a failed round, doubled per failure up to the maximum, in ms. */
const RETRY_BASE_MS = 100;
const RETRY_MAX_MS = 2_000;

/** What a subscription needs to know; all durations in ms. */
export interface RedisSubscriptionSettings {
  queue: string;
  /** The queue's keys (`queueKeys`). */
  keys: readonly string[];
  /** Consumer name in the group, unique per broker instance and subscription. */
  consumer: string;
  prefetch: number;
  leaseMs: number;
  deliveryLimit: number;
  maxBlockMs: number;
  maintenanceIntervalMs: number;
  idleConsumerMs: number;
  maxEnvelopeBytes: number;
  /** See scripts/queue-layout.lua. */
  idleBaseMs: number;
}

/** How the subscription tells its broker which lease tokens it holds. */
export interface HeldDeliveryRegistry {
  hold(token: string, subscription: RedisSubscription): void;
  forget(token: string): void;
}

interface ReserveResult {
  deadLettered: number;
  /** Server epoch ms of the next lease end or due delayed message; 0 = none known. */
  wakeAt: number;
  lastIds: string[];
  deliveries: Array<[string, string, string, number, number]>;
}

export class RedisSubscription implements Subscription {
  readonly queue: string;
  readonly #settings: RedisSubscriptionSettings;
  readonly #client: RedisClient;
  readonly #blocking: RedisClient;
  readonly #handler: DeliveryHandler;
  readonly #registry: HeldDeliveryRegistry;
  /** Lease token → local lease-end timer of each delivery held and not yet settled. */
  readonly #held = new Map<string, NodeJS.Timeout>();
  #stopped = false;
  #wake: (() => void) | undefined;
  #loop: Promise<void> = Promise.resolve();
  #nextMaintenanceAt = 0;

  constructor(
    settings: RedisSubscriptionSettings,
    client: RedisClient,
    blocking: RedisClient,
    handler: DeliveryHandler,
    registry: HeldDeliveryRegistry,
  ) {
    this.queue = settings.queue;
    this.#settings = settings;
    this.#client = client;
    this.#blocking = blocking;
    this.#handler = handler;
    this.#registry = registry;
  }

  /** Starts the loop; returns this. */
  start(): this {
    this.#loop = this.#run();
    return this;
  }

  /** Stops new deliveries; held ones stay leased. Resolves once the loop has ended. */
  async cancel(): Promise<void> {
    if (!this.#stopped) {
      this.#stopped = true;
      this.#blocking.disconnect();
      this.#wakeUp();
    }
    await this.#loop;
    for (const token of [...this.#held.keys()]) this.settled(token);
  }

  /** The delivery with `token` was settled (or its lease is lost): its slot is free. */
  settled(token: string): void {
    const timer = this.#held.get(token);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#held.delete(token);
    this.#registry.forget(token);
    this.#wakeUp();
  }

  /** The delivery with `token` had its lease extended to `leaseExpiresAt`. */
  extended(token: string, leaseExpiresAt: number): void {
    if (!this.#held.has(token)) return;
    clearTimeout(this.#held.get(token));
    this.#held.set(token, this.#leaseTimer(token, leaseExpiresAt));
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#stopped) {
      const room = Math.min(this.#settings.prefetch - this.#held.size, RESERVE_BATCH);
      if (room <= 0) {
        await this.#pause(undefined);
        continue;
      }
      try {
        const result = await this.#reserve(room);
        failures = 0;
        if (this.#stopped) {
          await this.#handBack(result.deliveries);
          return;
        }
        for (const delivery of result.deliveries) this.#deliver(delivery);
        if (result.deliveries.length < room) await this.#block(result);
      } catch (error) {
        if (this.#stopped) return;
        failures += 1;
        process.emitWarning(
          `Redis consumer of queue ${this.queue} failed (retrying): ${String(error)}`,
          'StemRedisBrokerWarning',
        );
        await this.#pause(Math.min(RETRY_BASE_MS * 2 ** (failures - 1), RETRY_MAX_MS));
      }
    }
  }

  /** One round trip: the delayed mover, the reserve script, maintenance when due. */
  async #reserve(room: number): Promise<ReserveResult> {
    const { keys, consumer, leaseMs, deliveryLimit, idleBaseMs } = this.#settings;
    const pipeline = this.#client.pipeline();
    queueBrokerScript(pipeline, 'stemBrokerPromote', keys, [PROMOTE_BATCH]);
    queueBrokerScript(pipeline, 'stemBrokerReserve', keys, [
      consumer,
      room,
      leaseMs,
      deliveryLimit,
      randomUUID(),
      idleBaseMs,
    ]);
    if (Date.now() >= this.#nextMaintenanceAt) {
      this.#nextMaintenanceAt = Date.now() + this.#settings.maintenanceIntervalMs;
      queueBrokerScript(pipeline, 'stemBrokerTrim', keys, []);
      queueBrokerScript(pipeline, 'stemBrokerPrune', keys, [this.#settings.idleConsumerMs]);
    }
    const replies = (await pipeline.exec()) ?? [];
    const failed = replies.find(([error]) => error !== null);
    if (failed !== undefined) throw failed[0];
    const [, promoted] = replies[0] as [null, [number, number]];
    const [, reserved] = replies[1] as [
      null,
      [number, number, string[], ReserveResult['deliveries']],
    ];
    const [deadLettered, leaseWakeAt, lastIds, deliveries] = reserved;
    const nextDueAt = promoted[1];
    const wakeAt = [leaseWakeAt, nextDueAt].filter((at) => at > 0);
    return {
      deadLettered,
      wakeAt: wakeAt.length === 0 ? 0 : Math.min(...wakeAt),
      lastIds,
      deliveries,
    };
  }

  /** Waits in XREAD for an entry newer than the ones just seen, or until `wakeAt`. */
  async #block(result: ReserveResult): Promise<void> {
    const { keys, maxBlockMs } = this.#settings;
    const untilWake = result.wakeAt === 0 ? maxBlockMs : result.wakeAt - Date.now() + 1;
    const blockMs = Math.max(1, Math.min(maxBlockMs, untilWake));
    await this.#blocking.call(
      'XREAD',
      'BLOCK',
      blockMs,
      'STREAMS',
      ...streamKeys(keys),
      ...result.lastIds,
    );
  }

  #deliver([
    messageId,
    text,
    leaseToken,
    deliveryCount,
    leaseExpiresAt,
  ]: ReserveResult['deliveries'][number]): void {
    let envelope: Delivery['envelope'];
    try {
      envelope = decodeEnvelope(text, { maxBytes: this.#settings.maxEnvelopeBytes });
    } catch (error) {
      this.#deadLetterUnreadable(messageId, leaseToken, error);
      return;
    }
    const delivery: Delivery = {
      messageId,
      queue: this.queue,
      envelope,
      leaseToken,
      deliveryCount,
      leaseExpiresAt,
    };
    this.#held.set(leaseToken, this.#leaseTimer(leaseToken, leaseExpiresAt));
    this.#registry.hold(leaseToken, this);
    queueMicrotask(() => invokeDeliveryHandler(this.#handler, delivery));
  }

  /** Frees the slot when the lease ends unsettled (the reclaimer may hand it out again). */
  #leaseTimer(token: string, leaseExpiresAt: number): NodeJS.Timeout {
    const timer = setTimeout(() => this.settled(token), Math.max(0, leaseExpiresAt - Date.now()));
    timer.unref();
    return timer;
  }

  /** Deliveries reserved while cancelling go straight back, uncounted. */
  async #handBack(deliveries: ReserveResult['deliveries']): Promise<void> {
    await Promise.allSettled(
      deliveries.map(([messageId, , token]) =>
        runFencedScript(
          this.#client,
          'stemBrokerRelease',
          this.#settings.keys,
          [messageId, token],
          'release',
        ),
      ),
    );
  }

  #deadLetterUnreadable(messageId: string, token: string, error: unknown): void {
    const reason = { code: 'ENVELOPE_INVALID', message: String(error) };
    runFencedScript(
      this.#client,
      'stemBrokerDeadLetter',
      this.#settings.keys,
      [messageId, token, JSON.stringify(reason)],
      'deadLetter',
    ).catch((failure: unknown) =>
      process.emitWarning(
        `could not dead-letter unreadable message ${messageId}: ${String(failure)}`,
        'StemRedisBrokerWarning',
      ),
    );
  }

  /** Resolves on the next wake-up, or after `ms` when given. */
  #pause(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => this.#wakeUp(), ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
