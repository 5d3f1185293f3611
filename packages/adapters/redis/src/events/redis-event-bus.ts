/**
 * An EventBus on Redis pub/sub: every event of a namespace is published as JSON on one
 * channel (<ns>:events), and each instance receives it on one subscriber connection
 * shared by all its listeners, filtering by type before calling them. Delivery is best
 * effort, like all pub/sub: a process not connected when an event is published misses
 * it. Events one instance publishes arrive in the order it published them, on a cluster
 * too (see publish-in-slot.lua). Listeners run on the main thread, from the subscriber's
 * message events.
 */
import {
  ClosedError,
  type EventBus,
  type StemEvent,
  type StemEventListener,
  type StemEventType,
} from '@stem/core';
import { Cluster } from 'ioredis';
import { ChannelSubscriber } from '../connection/channel-subscriber';
import { LuaScript } from '../connection/lua-script';
import {
  type RedisClient,
  type RedisConnectionOptions,
  resolveRedisConnection,
} from '../connection/redis-connection';
import publishInSlot from './scripts/publish-in-slot.lua';

const PUBLISH_IN_SLOT = new LuaScript('publish event', publishInSlot);

/** `url` or `client`, and the channel `namespace` (@default 'stem'). */
export type RedisEventBusOptions = RedisConnectionOptions;

export class RedisEventBus implements EventBus {
  readonly #client: RedisClient;
  readonly #owned: boolean;
  readonly #channel: string;
  readonly #subscriber: ChannelSubscriber;
  #closed = false;

  constructor(options: RedisEventBusOptions) {
    const { client, owned, namespace } = resolveRedisConnection(options);
    this.#client = client;
    this.#owned = owned;
    this.#channel = `${namespace}:events`;
    this.#subscriber = new ChannelSubscriber(client, 'RedisEventBus');
  }

  /** Publishes `event` to every subscriber connected now, in any process. */
  async publish(event: StemEvent): Promise<void> {
    this.#assertOpen();
    const message = JSON.stringify(event);
    if (this.#client instanceof Cluster) {
      await PUBLISH_IN_SLOT.run(this.#client, [this.#channel], [this.#channel, message]);
    } else {
      await this.#client.publish(this.#channel, message);
    }
  }

  /**
   * Subscribes to `types` (@default all), resolving once events published from now on
   * will be delivered; resolves to an idempotent unsubscribe. A listener that throws is
   * reported with `process.emitWarning`; the others still get the event.
   */
  async subscribe(
    listener: StemEventListener,
    types?: readonly StemEventType[],
  ): Promise<() => Promise<void>> {
    this.#assertOpen();
    const filter = types === undefined ? undefined : new Set(types);
    return this.#subscriber.listen(this.#channel, (message) => deliver(listener, filter, message));
  }

  /** Ends this instance's subscriptions and quits the client if this instance created it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#subscriber.close();
    if (this.#owned) await this.#client.quit().catch(() => this.#client.disconnect());
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClosedError('RedisEventBus');
  }
}

/** Parses per listener, so each gets its own copy it may mutate freely. */
function deliver(
  listener: StemEventListener,
  types: ReadonlySet<StemEventType> | undefined,
  message: string,
): void {
  let event: StemEvent;
  try {
    event = JSON.parse(message) as StemEvent;
  } catch {
    process.emitWarning('ignored a malformed message on the event channel', 'StemEventWarning');
    return;
  }
  if (types !== undefined && !types.has(event.type)) return;
  try {
    listener(event);
  } catch (error) {
    process.emitWarning(
      `an event subscriber threw on ${event.type}: ${error instanceof Error ? error.message : String(error)}`,
      'StemEventListenerWarning',
    );
  }
}
