/**
 * An EventBus whose subscribers live across every process connected to one
 * MemoryAdapterHost namespace: the host pushes each matching event to this client's
 * subscription ids. Best effort, as the contract says: a client that is not connected
 * misses events. Runs on the client's main thread.
 */
import type { EventBus, StemEvent, StemEventListener, StemEventType } from '@stem/core';
import { HostTarget } from './host-target';
import { MemoryHostConnection, type MemoryHostConnectOptions } from './memory-host-connection';

export class RemoteEventBus implements EventBus {
  readonly #host: HostTarget;
  readonly #subscriptionIds = new Set<string>();

  /** An instance on a connection someone else owns (and closes). */
  constructor(connection: MemoryHostConnection) {
    this.#host = new HostTarget(connection, 'events', 'RemoteEventBus');
  }

  /** An instance on its own new connection, which its `close` closes. */
  static async connect(
    socketPath: string,
    options: MemoryHostConnectOptions = {},
  ): Promise<RemoteEventBus> {
    const bus = new RemoteEventBus(await MemoryHostConnection.open(socketPath, options));
    bus.#host.ownConnection();
    return bus;
  }

  /** Resolves once the host has queued `event` for every matching subscriber. */
  async publish(event: StemEvent): Promise<void> {
    this.#host.assertOpen();
    await this.#host.call('publish', [event]);
  }

  /**
   * Subscribes on the host to `types` (@default all). The unsubscribe stops delivery
   * here at once, even of events already on the wire, and is idempotent.
   */
  async subscribe(
    listener: StemEventListener,
    types?: readonly StemEventType[],
  ): Promise<() => Promise<void>> {
    this.#host.assertOpen();
    const subscriptionId = this.#host.connection.listen((push) => {
      if (push.push === 'event') deliver(listener, push.event);
    });
    try {
      await this.#host.call('subscribe', [subscriptionId, types]);
    } catch (error) {
      this.#host.connection.unlisten(subscriptionId);
      throw error;
    }
    this.#subscriptionIds.add(subscriptionId);
    return () => this.#unsubscribe(subscriptionId);
  }

  /** Ends this instance's subscriptions. Closes the connection if `connect` made it. */
  close(): Promise<void> {
    return this.#host.close(() => {
      for (const subscriptionId of this.#subscriptionIds)
        this.#host.connection.unlisten(subscriptionId);
      this.#subscriptionIds.clear();
    });
  }

  async #unsubscribe(subscriptionId: string): Promise<void> {
    if (!this.#subscriptionIds.delete(subscriptionId)) return;
    this.#host.connection.unlisten(subscriptionId);
    await this.#host.callUnlessGone('unsubscribe', [subscriptionId]);
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
