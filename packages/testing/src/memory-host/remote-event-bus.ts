/**
 * An EventBus whose subscribers live across every process connected to one
 * MemoryAdapterHost namespace: the host pushes each matching event to this client's
 * subscription ids. Best effort, as the contract says: a client that is not connected
 * misses events. Runs on the client's main thread.
 */
import {
  ClosedError,
  type EventBus,
  type StemEvent,
  type StemEventListener,
  type StemEventType,
} from '@stem/core';
import { isGoneError } from './is-gone-error';
import { MemoryHostConnection, type MemoryHostConnectOptions } from './memory-host-connection';

export class RemoteEventBus implements EventBus {
  readonly #connection: MemoryHostConnection;
  readonly #target: number;
  readonly #subscriptionIds = new Set<string>();
  #ownsConnection = false;
  #closing: Promise<void> | undefined;

  /** An instance on a connection someone else owns (and closes). */
  constructor(connection: MemoryHostConnection) {
    this.#connection = connection;
    this.#target = connection.newTarget();
  }

  /** An instance on its own new connection, which its `close` closes. */
  static async connect(
    socketPath: string,
    options: MemoryHostConnectOptions = {},
  ): Promise<RemoteEventBus> {
    const bus = new RemoteEventBus(await MemoryHostConnection.open(socketPath, options));
    bus.#ownsConnection = true;
    return bus;
  }

  /** Resolves once the host has queued `event` for every matching subscriber. */
  async publish(event: StemEvent): Promise<void> {
    this.#assertOpen();
    await this.#call('publish', [event]);
  }

  /**
   * Subscribes on the host to `types` (@default all). The unsubscribe stops delivery
   * here at once, even of events already on the wire, and is idempotent.
   */
  async subscribe(
    listener: StemEventListener,
    types?: readonly StemEventType[],
  ): Promise<() => Promise<void>> {
    this.#assertOpen();
    const subscriptionId = this.#connection.listen((push) => {
      if (push.push === 'event') deliver(listener, push.event);
    });
    try {
      await this.#call('subscribe', [subscriptionId, types]);
    } catch (error) {
      this.#connection.unlisten(subscriptionId);
      throw error;
    }
    this.#subscriptionIds.add(subscriptionId);
    return () => this.#unsubscribe(subscriptionId);
  }

  /** Ends this instance's subscriptions. Closes the connection if `connect` made it. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    for (const subscriptionId of this.#subscriptionIds) this.#connection.unlisten(subscriptionId);
    this.#subscriptionIds.clear();
    try {
      await this.#call('close', []);
    } catch (error) {
      if (!isGoneError(error)) throw error;
    } finally {
      if (this.#ownsConnection) await this.#connection.close();
    }
  }

  async #unsubscribe(subscriptionId: string): Promise<void> {
    if (!this.#subscriptionIds.delete(subscriptionId)) return;
    this.#connection.unlisten(subscriptionId);
    try {
      await this.#call('unsubscribe', [subscriptionId]);
    } catch (error) {
      if (!isGoneError(error)) throw error;
    }
  }

  #call(operation: string, args: unknown[]): Promise<unknown> {
    return this.#connection.request(`events.${operation}`, this.#target, args);
  }

  #assertOpen(): void {
    if (this.#closing !== undefined) throw new ClosedError('RemoteEventBus');
  }
}

function deliver(listener: StemEventListener, event: StemEvent): void {
  try {
    listener(event);
  } catch (error) {
    process.emitWarning(
      `an event subscriber threw on ${event.type}: ${error instanceof Error ? error.message : String(error)}`,
      'StemEventListenerWarning',
    );
  }
}
