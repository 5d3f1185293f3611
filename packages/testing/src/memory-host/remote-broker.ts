/**
 * A Broker whose queues live in a MemoryAdapterHost, usually in another process. Every
 * call is forwarded over the connection and answered by an InMemoryBroker on the host,
 * so the semantics (leases, fencing, counting, dead letters) are the in-memory ones,
 * and a process that dies holding deliveries loses their leases as on a real server.
 * Envelopes are validated here first (a value JSON cannot carry must be refused, not
 * silently dropped); sizes are checked by the host. Runs on the client's main thread.
 */
import {
  type Broker,
  type BrokerCapabilities,
  type ConsumeOptions,
  type DeadLetterPage,
  type DeadLetterQuery,
  type DeadLetterReason,
  type Delivery,
  type DeliveryHandler,
  type Envelope,
  invokeDeliveryHandler,
  type NackOptions,
  type QueueStats,
  type Subscription,
  validateEnvelope,
} from '@stem/core';
import { HostTarget } from './host-target';
import { MemoryHostConnection, type MemoryHostConnectOptions } from './memory-host-connection';

export class RemoteBroker implements Broker {
  /** The host's InMemoryBroker capabilities, learned at connect time. */
  readonly capabilities: BrokerCapabilities;
  readonly #host: HostTarget;
  readonly #subscriptionIds = new Set<string>();

  /** An instance on a connection someone else owns (and closes). */
  constructor(connection: MemoryHostConnection) {
    this.#host = new HostTarget(connection, 'broker', 'RemoteBroker');
    this.capabilities = connection.brokerCapabilities;
  }

  /** An instance on its own new connection, which its `close` closes. */
  static async connect(
    socketPath: string,
    options: MemoryHostConnectOptions = {},
  ): Promise<RemoteBroker> {
    const broker = new RemoteBroker(await MemoryHostConnection.open(socketPath, options));
    broker.#host.ownConnection();
    return broker;
  }

  async publish(envelope: Envelope): Promise<void> {
    this.#host.assertOpen();
    await this.#host.call('publish', [validateEnvelope(envelope)]);
  }

  /**
   * Subscribes on the host. Deliveries pushed before `cancel` has been answered still
   * reach `handler`, as deliveries handed out before an in-process cancel do.
   */
  async consume(options: ConsumeOptions, handler: DeliveryHandler): Promise<Subscription> {
    this.#host.assertOpen();
    const subscriptionId = this.#host.connection.listen((push) => {
      if (push.push === 'delivery') invokeDeliveryHandler(handler, push.delivery);
    });
    try {
      await this.#host.call('consume', [subscriptionId, options]);
    } catch (error) {
      this.#host.connection.unlisten(subscriptionId);
      throw error;
    }
    this.#subscriptionIds.add(subscriptionId);
    return { queue: options.queue, cancel: () => this.#cancel(subscriptionId) };
  }

  async ack(delivery: Delivery): Promise<void> {
    this.#host.assertOpen();
    await this.#host.call('ack', [delivery]);
  }

  async nack(delivery: Delivery, options: NackOptions = {}): Promise<void> {
    this.#host.assertOpen();
    // JSON turns NaN and Infinity into null, which the host would read as "no delay".
    if (options.delayMs !== undefined && !Number.isFinite(options.delayMs)) {
      throw new RangeError(`delayMs must be finite, got ${options.delayMs}`);
    }
    const sent: NackOptions = { ...options };
    if (options.envelope !== undefined) sent.envelope = validateEnvelope(options.envelope);
    await this.#host.call('nack', [delivery, sent]);
  }

  async release(delivery: Delivery): Promise<void> {
    this.#host.assertOpen();
    await this.#host.call('release', [delivery]);
  }

  async extendLease(delivery: Delivery, leaseMs: number): Promise<number> {
    this.#host.assertOpen();
    if (!Number.isSafeInteger(leaseMs) || leaseMs < 1) {
      throw new RangeError(`leaseMs must be a positive integer, got ${leaseMs}`);
    }
    return (await this.#host.call('extendLease', [delivery, leaseMs])) as number;
  }

  async deadLetter(delivery: Delivery, reason: DeadLetterReason): Promise<void> {
    this.#host.assertOpen();
    await this.#host.call('deadLetter', [delivery, reason]);
  }

  async listDeadLetters(query: DeadLetterQuery): Promise<DeadLetterPage> {
    this.#host.assertOpen();
    return (await this.#host.call('listDeadLetters', [query])) as DeadLetterPage;
  }

  async replayDeadLetters(query: DeadLetterQuery): Promise<number> {
    this.#host.assertOpen();
    return (await this.#host.call('replayDeadLetters', [query])) as number;
  }

  async purgeDeadLetters(query: DeadLetterQuery): Promise<number> {
    this.#host.assertOpen();
    return (await this.#host.call('purgeDeadLetters', [query])) as number;
  }

  async purge(queue: string): Promise<number> {
    this.#host.assertOpen();
    return (await this.#host.call('purge', [queue])) as number;
  }

  async stats(queue: string): Promise<QueueStats> {
    this.#host.assertOpen();
    return (await this.#host.call('stats', [queue])) as QueueStats;
  }

  /**
   * Cancels this instance's subscriptions on the host; held deliveries stay leased and
   * come back when their leases end. Closes the connection if `connect` made it. Later
   * calls throw CLOSED. Succeeds when the host is already gone. Idempotent.
   */
  close(): Promise<void> {
    return this.#host.close(() => {
      for (const subscriptionId of this.#subscriptionIds)
        this.#host.connection.unlisten(subscriptionId);
      this.#subscriptionIds.clear();
    });
  }

  async #cancel(subscriptionId: string): Promise<void> {
    // Already cancelled, or ended by close: nothing left to stop.
    if (!this.#subscriptionIds.delete(subscriptionId)) return;
    try {
      await this.#host.callUnlessGone('cancel', [subscriptionId]);
    } finally {
      this.#host.connection.unlisten(subscriptionId);
    }
  }
}
