/**
 * One `consume()` on Redis: a loop on the main thread that reserves deliveries within
 * the prefetch bound, hands them to the handler from a microtask, a slice per
 * event-loop turn, and otherwise waits. Each round is one script call (the delayed
 * mover, then the reserve with its reclaimer), pipelined now and then with trimming and
 * consumer pruning. A full window waits for settlements and lets those of one I/O turn
 * gather (setImmediate) before it refills, so a busy consumer fetches many messages per
 * round trip rather than one per settlement; most refills ride on the acks anyway
 * (send-ack-batch.ts).
 *
 * Once the queue is drained the consumer sends, on its own duplicate connection, a
 * blocking XREAD and right behind it the next reserve. Redis runs that reserve the
 * moment the XREAD returns (an entry was added, a delayed message became the earliest
 * due, or the block timed out), so a message published to an idle consumer is leased
 * and on its way without a round trip to the consumer in between. When the next delayed
 * message falls due or a lease ends, a local timer ends the wait early by adding to the
 * consumer's own `nudge` stream, which the XREAD also watches (a server-side BLOCK
 * timeout only fires on the server's cron tick, up to 100 ms late at hz 10).
 *
 * Errors (a reconnect, LOADING, READONLY, UNBLOCKED) are reported and retried with
 * backoff; the loop only ends when cancelled.
 */
import { randomUUID } from 'node:crypto';
import {
  type Delivery,
  type DeliveryHandler,
  decodeEnvelope,
  invokeDeliveryHandler,
  type Subscription,
} from '@stem/core';
import type { ChainableCommander } from 'ioredis';
import { type RedisClient, sendWithinTick } from '../connection/redis-connection';
import { queueBrokerScript, runBrokerScript, runFencedScript } from './broker-scripts';
import { blockingStreamKeys } from './redis-queue-keys';

/** Most deliveries one reserve call returns, so a huge prefetch never blocks Redis long. */
const RESERVE_BATCH = 500;
/**
 * Deliveries handed to the handler per event-loop turn, at least. A reply of hundreds
 * handed over at once would all run, then all wait for Redis together; in slices, the
 * records and acks of the first ones are on their way while the next ones run, so Node
 * and Redis work side by side. (A measured choice: 16 to 50 did about as well on the
 * drain benchmark; everything at once did worst.)
 */
const MIN_DELIVERIES_PER_TURN = 16;
/** …or this share of the prefetch window, if larger. */
const WINDOW_SHARE_PER_TURN = 1 / 8;
/** Most delayed messages one mover call promotes. */
const PROMOTE_BATCH = 500;
/**
 * How long a cancelled consumer waits for the reserve queued behind its blocking read,
 * so that what it reserved can be handed back rather than left to its lease, in ms.
 */
const CANCEL_GRACE_MS = 2_000;
/** A nudge stream left alone this long disappears, in ms. */
const NUDGE_TTL_MS = 60_000;
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
  /** This consumer's nudge stream (same hash tag as `keys`): ends its blocking read. */
  nudgeKey: string;
}

/** How the subscription tells its broker which lease tokens it holds. */
export interface HeldDeliveryRegistry {
  hold(token: string, subscription: RedisSubscription): void;
  forget(token: string): void;
}

interface ReserveResult {
  deadLettered: number;
  /** Ms (server time) until the next lease end or due delayed message; -1 = none known. */
  wakeInMs: number;
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
  /** The last reserve's hints, when the loop should next wait for something new. */
  #idleHints: ReserveResult | undefined;
  /** Ends the current wait for the reserve queued behind a blocking read (on cancel). */
  #endWait: (() => void) | undefined;
  /** Room promised to reserves in flight (this loop's, or one riding on acks). */
  #inFlightRoom = 0;
  /** Reserved deliveries waiting for a later turn to be handed over, oldest first. */
  readonly #queued: ReserveResult['deliveries'] = [];
  #handOverScheduled = false;
  readonly #perTurn: number;

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
    this.#perTurn = Math.max(
      MIN_DELIVERIES_PER_TURN,
      Math.ceil(settings.prefetch * WINDOW_SHARE_PER_TURN),
    );
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
      this.#endWait?.();
      // Ends a blocking read, so the reserve queued behind it answers now and what it
      // reserved is handed back below.
      this.#nudge();
      this.#wakeUp();
    }
    await this.#loop;
    this.#blocking.disconnect();
    // Reserved but never handed over: back to the queue, uncounted.
    await this.#handBack(this.#queued.splice(0));
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

  /**
   * Claims room for a reserve that rides on `freed` acks of this subscription's deliveries
   * (their slots count as free): 0 when there is none or the subscription is stopping.
   * The caller passes the room to `reserveArguments`, then to `acceptReserved` with the
   * reply, or to `releaseRoom` if the call failed.
   */
  claimRoom(freed: number): number {
    if (this.#stopped) return 0;
    const room = this.#freeRoom(freed);
    if (room <= 0) return 0;
    this.#inFlightRoom += room;
    return room;
  }

  /** The reserve script's arguments for `room` deliveries to this consumer. */
  reserveArguments(room: number): Array<string | number> {
    const { consumer, leaseMs, deliveryLimit, idleBaseMs } = this.#settings;
    return [consumer, room, leaseMs, deliveryLimit, randomUUID(), idleBaseMs, PROMOTE_BATCH];
  }

  /** Takes the deliveries of a reserve that rode on acks (handed back if cancelled since). */
  acceptReserved(room: number, reply: unknown): void {
    this.#inFlightRoom -= room;
    const { deliveries } = parseReserveReply(reply);
    if (this.#stopped) {
      void this.#handBack(deliveries);
      return;
    }
    this.#handOver(deliveries);
  }

  releaseRoom(room: number): void {
    this.#inFlightRoom -= room;
  }

  #freeRoom(freed: number): number {
    const held = this.#held.size + this.#queued.length;
    const free = this.#settings.prefetch - held - this.#inFlightRoom + freed;
    return Math.min(free, RESERVE_BATCH);
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#stopped) {
      const room = this.#freeRoom(0);
      if (room <= 0) {
        this.#idleHints = undefined;
        await this.#pause(undefined);
        // Settlements answered in one reply free their slots in this turn: take them all.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      try {
        const hints = this.#idleHints;
        this.#idleHints = undefined;
        this.#inFlightRoom += room;
        const result = await (hints === undefined
          ? this.#reserve(room)
          : this.#reserveWhenWoken(hints, room)
        ).finally(() => {
          this.#inFlightRoom -= room;
        });
        failures = 0;
        if (this.#stopped) {
          await this.#handBack(result.deliveries);
          return;
        }
        this.#handOver(result.deliveries);
        // Room left and nothing due at once: the next round waits for something new.
        const idle = result.deliveries.length < room && result.lastIds.length > 0;
        if (idle && result.wakeInMs !== 0) this.#idleHints = result;
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

  /** One round trip: the reserve script (with the delayed mover), maintenance when due. */
  async #reserve(room: number): Promise<ReserveResult> {
    const { keys } = this.#settings;
    const args = this.reserveArguments(room);
    let reply: unknown;
    if (!this.#maintenanceDue()) {
      reply = await runBrokerScript(this.#client, 'stemBrokerReserve', keys, args);
    } else {
      const pipeline = this.#client.pipeline();
      queueBrokerScript(pipeline, 'stemBrokerReserve', keys, args);
      this.#queueMaintenance(pipeline);
      const replies = (await pipeline.exec()) ?? [];
      const failed = replies.find(([error]) => error !== null);
      if (failed !== undefined) throw failed[0];
      reply = replies[0]?.[1];
    }
    return parseReserveReply(reply);
  }

  /**
   * Waits for something new and reserves at once: a blocking XREAD (for an entry newer
   * than the ones `hints` saw, on the streams, `wake` or this consumer's nudge stream)
   * with the reserve right behind it on the blocking connection, so Redis runs the
   * reserve as soon as the read returns. A local timer nudges at `wakeInMs` (the next
   * lease end or delayed due time); cancelling nudges too.
   */
  async #reserveWhenWoken(hints: ReserveResult, room: number): Promise<ReserveResult> {
    const { keys, maxBlockMs, nudgeKey } = this.#settings;
    if (this.#maintenanceDue()) {
      const pipeline = this.#client.pipeline();
      this.#queueMaintenance(pipeline);
      pipeline.exec().catch((error: unknown) => this.#warn('maintenance', error));
    }
    // Both leave in one write; only the reserve's reply matters (its errors are the
    // round's), the read only decides when it runs.
    sendWithinTick(this.#blocking);
    this.#blocking
      .call(
        'XREAD',
        'BLOCK',
        maxBlockMs,
        'STREAMS',
        ...blockingStreamKeys(keys),
        nudgeKey,
        ...hints.lastIds,
        '$',
      )
      .catch(() => undefined);
    const reserved = runBrokerScript(
      this.#blocking,
      'stemBrokerReserve',
      keys,
      this.reserveArguments(room),
    );
    const timer =
      hints.wakeInMs > 0 && hints.wakeInMs < maxBlockMs
        ? setTimeout(() => this.#nudge(), hints.wakeInMs)
        : undefined;
    const cancelled = new Promise<typeof CANCELLED>((resolve) => {
      this.#endWait = () => resolve(CANCELLED);
    });
    if (this.#stopped) this.#endWait?.();
    try {
      let reply = await Promise.race([reserved, cancelled]);
      // Cancelled: give the queued reserve a moment to answer, then leave its leases to
      // run out (the connection is closed after the loop ends).
      if (reply === CANCELLED) reply = await raceTimeout(reserved, CANCEL_GRACE_MS);
      return reply === TIMED_OUT ? EMPTY_RESULT : parseReserveReply(reply);
    } finally {
      this.#endWait = undefined;
      clearTimeout(timer);
    }
  }

  #maintenanceDue(): boolean {
    return Date.now() >= this.#nextMaintenanceAt;
  }

  /** Queues trimming and consumer pruning, and schedules the next time. */
  #queueMaintenance(pipeline: ChainableCommander): void {
    const { keys, maintenanceIntervalMs, idleConsumerMs } = this.#settings;
    this.#nextMaintenanceAt = Date.now() + maintenanceIntervalMs;
    queueBrokerScript(pipeline, 'stemBrokerTrim', keys, []);
    queueBrokerScript(pipeline, 'stemBrokerPrune', keys, [idleConsumerMs]);
  }

  /** Ends this consumer's blocking read, if one is waiting (harmless otherwise). */
  #nudge(): void {
    const { nudgeKey } = this.#settings;
    this.#client
      .multi()
      .xadd(nudgeKey, 'MAXLEN', '1', '*', 'n', '1')
      .pexpire(nudgeKey, NUDGE_TTL_MS)
      .exec()
      .catch((error: unknown) => this.#warn('nudge', error));
  }

  #warn(what: string, error: unknown): void {
    if (this.#stopped) return;
    process.emitWarning(
      `Redis consumer of queue ${this.queue}: ${what} failed: ${String(error)}`,
      'StemRedisBrokerWarning',
    );
  }

  /** Hands `deliveries` over in slices of `#perTurn`, the first one now, in order. */
  #handOver(deliveries: ReserveResult['deliveries']): void {
    for (const delivery of deliveries) this.#queued.push(delivery);
    if (!this.#handOverScheduled) this.#handOverSlice();
  }

  readonly #handOverSlice = (): void => {
    this.#handOverScheduled = false;
    if (this.#stopped) return; // cancel() hands the rest back
    for (const delivery of this.#queued.splice(0, this.#perTurn)) this.#deliver(delivery);
    if (this.#queued.length > 0) {
      this.#handOverScheduled = true;
      setImmediate(this.#handOverSlice);
    }
  };

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

const TIMED_OUT = Symbol('timed out');
const CANCELLED = Symbol('cancelled');
const EMPTY_RESULT: ReserveResult = { deadLettered: 0, wakeInMs: -1, lastIds: [], deliveries: [] };

/** `promise`'s value, or TIMED_OUT if it takes longer than `ms`. */
function raceTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  return Promise.race([promise, timedOut]).finally(() => clearTimeout(timer));
}

function parseReserveReply(reply: unknown): ReserveResult {
  const [deadLettered, wakeInMs, lastIds, deliveries] = reply as [
    number,
    number,
    string[],
    ReserveResult['deliveries'],
  ];
  return { deadLettered, wakeInMs, lastIds, deliveries };
}
