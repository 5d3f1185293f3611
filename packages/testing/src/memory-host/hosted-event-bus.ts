/**
 * The host side of one RemoteEventBus: an InMemoryEventBus on the namespace's shared
 * state whose subscribers push each event to the client's subscription id. A client
 * that vanishes takes its subscriptions with it (best effort, as on a real pub/sub).
 * Runs in the host process.
 */
import type { InMemoryEventBus, StemEvent, StemEventType } from '@stem/core';
import { type HostedAdapter, type HostSessionLinks, unknownOperation } from './hosted-adapter';

export class HostedEventBus implements HostedAdapter {
  readonly #bus: InMemoryEventBus;
  readonly #session: HostSessionLinks;
  readonly #own = new Set<string>();

  constructor(bus: InMemoryEventBus, session: HostSessionLinks) {
    this.#bus = bus;
    this.#session = session;
  }

  async call(operation: string, args: readonly unknown[]): Promise<unknown> {
    switch (operation) {
      case 'publish':
        return this.#bus.publish(args[0] as StemEvent);
      case 'subscribe':
        return this.#subscribe(args[0] as string, args[1] as StemEventType[] | undefined);
      case 'unsubscribe':
        return this.#unsubscribe(args[0] as string);
      default:
        throw unknownOperation('events', operation);
    }
  }

  async close(): Promise<void> {
    for (const subscriptionId of this.#own) this.#session.subscriptions.delete(subscriptionId);
    this.#own.clear();
    await this.#bus.close();
  }

  async #subscribe(subscriptionId: string, types: StemEventType[] | undefined): Promise<void> {
    if (this.#session.subscriptions.has(subscriptionId)) {
      throw new TypeError(`subscription id ${subscriptionId} is already in use`);
    }
    const unsubscribe = await this.#bus.subscribe(
      (event) => this.#session.push({ push: 'event', subscriptionId, event }),
      types,
    );
    this.#own.add(subscriptionId);
    this.#session.subscriptions.set(subscriptionId, unsubscribe);
  }

  async #unsubscribe(subscriptionId: string): Promise<void> {
    const unsubscribe = this.#session.subscriptions.get(subscriptionId);
    if (unsubscribe === undefined || !this.#own.has(subscriptionId)) return;
    this.#own.delete(subscriptionId);
    this.#session.subscriptions.delete(subscriptionId);
    await unsubscribe();
  }
}
