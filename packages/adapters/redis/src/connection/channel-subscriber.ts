/**
 * One pub/sub connection shared by every listener of an adapter instance: channels
 * are subscribed when their first listener arrives and unsubscribed when the last one
 * leaves. The connection is always a duplicate the adapter owns and closes, because a
 * subscribed connection can run no other command. Handlers run on the main thread,
 * from the connection's message events.
 */
import { ClosedError } from '@stem/core';
import { Cluster } from 'ioredis';
import type { RedisClient } from './redis-connection';

export type ChannelHandler = (message: string) => void;

interface ChannelState {
  handlers: Set<ChannelHandler>;
  /** Settles once the server confirmed the SUBSCRIBE. */
  subscribed: Promise<unknown>;
}

export class ChannelSubscriber {
  readonly #source: RedisClient;
  readonly #what: string;
  readonly #channels = new Map<string, ChannelState>();
  readonly #reconnectHandlers = new Set<() => void>();
  #connection: RedisClient | undefined;
  #closed = false;

  /** @param source The adapter's client; it is duplicated, never subscribed itself. */
  constructor(source: RedisClient, what: string) {
    this.#source = source;
    this.#what = what;
  }

  /**
   * Adds `handler` to `channel`, resolving once the subscription is live on the server
   * (so a message published after this resolves is delivered). Resolves to an
   * idempotent removal.
   */
  async listen(channel: string, handler: ChannelHandler): Promise<() => Promise<void>> {
    if (this.#closed) throw new ClosedError(this.#what);
    let state = this.#channels.get(channel);
    if (state === undefined) {
      const subscribed = this.#connect().subscribe(channel);
      state = { handlers: new Set(), subscribed };
      this.#channels.set(channel, state);
    }
    state.handlers.add(handler);
    const current = state;
    try {
      await current.subscribed;
    } catch (error) {
      await this.#remove(channel, current, handler);
      throw error;
    }
    let removed = false;
    return async () => {
      if (removed) return;
      removed = true;
      await this.#remove(channel, current, handler);
    };
  }

  /**
   * Calls `handler` whenever the connection comes back after a drop: messages sent
   * while it was down are lost, so listeners re-read what they wait for.
   */
  onReconnect(handler: () => void): () => void {
    this.#reconnectHandlers.add(handler);
    return () => this.#reconnectHandlers.delete(handler);
  }

  /** Drops every listener and quits the connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#channels.clear();
    this.#reconnectHandlers.clear();
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection !== undefined) await connection.quit().catch(() => connection.disconnect());
  }

  #connect(): RedisClient {
    if (this.#connection !== undefined) return this.#connection;
    // No ready check (INFO) on this connection: a subscribed connection refuses every
    // other command, and ioredis's check could otherwise meet one in subscriber mode.
    const connection =
      this.#source instanceof Cluster
        ? this.#source.duplicate()
        : this.#source.duplicate({ enableReadyCheck: false });
    let readyBefore = false;
    connection.on('message', (channel: string, message: string) => {
      const state = this.#channels.get(channel);
      if (state === undefined) return;
      for (const handler of [...state.handlers]) handler(message);
    });
    connection.on('ready', () => {
      if (readyBefore) for (const handler of [...this.#reconnectHandlers]) handler();
      readyBefore = true;
    });
    // Drops are retried by the client's retry strategy (and channels resubscribed);
    // without a listener ioredis would print every reconnect error.
    connection.on('error', () => undefined);
    this.#connection = connection;
    return connection;
  }

  async #remove(channel: string, state: ChannelState, handler: ChannelHandler): Promise<void> {
    state.handlers.delete(handler);
    if (state.handlers.size > 0 || this.#channels.get(channel) !== state) return;
    this.#channels.delete(channel);
    // A later listen() on the same channel sends its SUBSCRIBE after this UNSUBSCRIBE
    // on the same connection, so the server ends up subscribed.
    await this.#connection?.unsubscribe(channel).catch(() => undefined);
  }
}
