/**
 * The host side of one RemoteBroker: an InMemoryBroker on the namespace's shared
 * state, whose deliveries are pushed to the client's subscription ids. Closing it (or
 * losing the client) closes the InMemoryBroker, which cancels the subscriptions and
 * leaves held deliveries leased until their leases end, as a dead worker's would.
 * Runs in the host process.
 */
import type {
  ConsumeOptions,
  DeadLetterQuery,
  DeadLetterReason,
  Delivery,
  Envelope,
  InMemoryBroker,
  NackOptions,
} from '@stem/core';
import { type HostedAdapter, type HostSessionLinks, unknownOperation } from './hosted-adapter';

export class HostedBroker implements HostedAdapter {
  readonly #broker: InMemoryBroker;
  readonly #session: HostSessionLinks;
  /** Subscription ids this instance created, so close can drop them from the session. */
  readonly #own = new Set<string>();

  constructor(broker: InMemoryBroker, session: HostSessionLinks) {
    this.#broker = broker;
    this.#session = session;
  }

  async call(operation: string, args: readonly unknown[]): Promise<unknown> {
    const broker = this.#broker;
    switch (operation) {
      case 'publish':
        return broker.publish(args[0] as Envelope);
      case 'consume':
        return this.#consume(args[0] as string, args[1] as ConsumeOptions);
      case 'cancel':
        return this.#cancel(args[0] as string);
      case 'ack':
        return broker.ack(args[0] as Delivery);
      case 'nack':
        return broker.nack(args[0] as Delivery, args[1] as NackOptions | undefined);
      case 'release':
        return broker.release(args[0] as Delivery);
      case 'extendLease':
        return broker.extendLease(args[0] as Delivery, args[1] as number);
      case 'deadLetter':
        return broker.deadLetter(args[0] as Delivery, args[1] as DeadLetterReason);
      case 'listDeadLetters':
        return broker.listDeadLetters(args[0] as DeadLetterQuery);
      case 'replayDeadLetters':
        return broker.replayDeadLetters(args[0] as DeadLetterQuery);
      case 'purgeDeadLetters':
        return broker.purgeDeadLetters(args[0] as DeadLetterQuery);
      case 'purge':
        return broker.purge(args[0] as string);
      case 'stats':
        return broker.stats(args[0] as string);
      default:
        throw unknownOperation('broker', operation);
    }
  }

  /** Cancels every subscription of this instance; held deliveries stay leased. */
  async close(): Promise<void> {
    for (const subscriptionId of this.#own) this.#session.subscriptions.delete(subscriptionId);
    this.#own.clear();
    await this.#broker.close();
  }

  async #consume(subscriptionId: string, options: ConsumeOptions): Promise<void> {
    if (this.#session.subscriptions.has(subscriptionId)) {
      throw new TypeError(`subscription id ${subscriptionId} is already in use`);
    }
    const subscription = await this.#broker.consume(options, (delivery) =>
      this.#session.push({ push: 'delivery', subscriptionId, delivery }),
    );
    this.#own.add(subscriptionId);
    this.#session.subscriptions.set(subscriptionId, () => subscription.cancel());
  }

  async #cancel(subscriptionId: string): Promise<void> {
    const cancel = this.#session.subscriptions.get(subscriptionId);
    if (cancel === undefined || !this.#own.has(subscriptionId)) return;
    this.#own.delete(subscriptionId);
    this.#session.subscriptions.delete(subscriptionId);
    await cancel();
  }
}
