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
  ClosedError,
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
import { isGoneError } from './is-gone-error';
import { MemoryHostConnection, type MemoryHostConnectOptions } from './memory-host-connection';

export class RemoteBroker implements Broker {
  /** The host's InMemoryBroker capabilities, learned at connect time. */
  readonly capabilities: BrokerCapabilities;
  readonly #connection: MemoryHostConnection;
  readonly #target: number;
  readonly #subscriptionIds = new Set<string>();
  #ownsConnection = false;
  #closing: Promise<void> | undefined;

  /** An instance on a connection someone else owns (and closes). */
  constructor(connection: MemoryHostConnection) {
    this.#connection = connection;
    this.#target = connection.newTarget();
    this.capabilities = connection.brokerCapabilities;
  }

  /** An instance on its own new connection, which its `close` closes. */
  static async connect(
    socketPath: string,
    options: MemoryHostConnectOptions = {},
  ): Promise<RemoteBroker> {
    const broker = new RemoteBroker(await MemoryHostConnection.open(socketPath, options));
    broker.#ownsConnection = true;
    return broker;
  }

  async publish(envelope: Envelope): Promise<void> {
    this.#assertOpen();
    await this.#call('publish', [validateEnvelope(envelope)]);
  }

  /**
   * Subscribes on the host. Deliveries pushed before `cancel` has been answered still
   * reach `handler`, as deliveries handed out before an in-process cancel do.
   */
  async consume(options: ConsumeOptions, handler: DeliveryHandler): Promise<Subscription> {
    this.#assertOpen();
    const subscriptionId = this.#connection.listen((push) => {
      if (push.push === 'delivery') invokeDeliveryHandler(handler, push.delivery);
    });
    try {
      await this.#call('consume', [subscriptionId, options]);
    } catch (error) {
      this.#connection.unlisten(subscriptionId);
      throw error;
    }
    this.#subscriptionIds.add(subscriptionId);
    return { queue: options.queue, cancel: () => this.#cancel(subscriptionId) };
  }

  async ack(delivery: Delivery): Promise<void> {
    this.#assertOpen();
    await this.#call('ack', [delivery]);
  }

  async nack(delivery: Delivery, options: NackOptions = {}): Promise<void> {
    this.#assertOpen();
    // JSON turns NaN and Infinity into null, which the host would read as "no delay".
    if (options.delayMs !== undefined && !Number.isFinite(options.delayMs)) {
      throw new RangeError(`delayMs must be finite, got ${options.delayMs}`);
    }
    const sent: NackOptions = { ...options };
    if (options.envelope !== undefined) sent.envelope = validateEnvelope(options.envelope);
    await this.#call('nack', [delivery, sent]);
  }

  async release(delivery: Delivery): Promise<void> {
    this.#assertOpen();
    await this.#call('release', [delivery]);
  }

  async extendLease(delivery: Delivery, leaseMs: number): Promise<number> {
    this.#assertOpen();
    if (!Number.isSafeInteger(leaseMs) || leaseMs < 1) {
      throw new RangeError(`leaseMs must be a positive integer, got ${leaseMs}`);
    }
    return (await this.#call('extendLease', [delivery, leaseMs])) as number;
  }

  async deadLetter(delivery: Delivery, reason: DeadLetterReason): Promise<void> {
    this.#assertOpen();
    await this.#call('deadLetter', [delivery, reason]);
  }

  async listDeadLetters(query: DeadLetterQuery): Promise<DeadLetterPage> {
    this.#assertOpen();
    return (await this.#call('listDeadLetters', [query])) as DeadLetterPage;
  }

  async replayDeadLetters(query: DeadLetterQuery): Promise<number> {
    this.#assertOpen();
    return (await this.#call('replayDeadLetters', [query])) as number;
  }

  async purgeDeadLetters(query: DeadLetterQuery): Promise<number> {
    this.#assertOpen();
    return (await this.#call('purgeDeadLetters', [query])) as number;
  }

  async purge(queue: string): Promise<number> {
    this.#assertOpen();
    return (await this.#call('purge', [queue])) as number;
  }

  async stats(queue: string): Promise<QueueStats> {
    this.#assertOpen();
    return (await this.#call('stats', [queue])) as QueueStats;
  }

  /**
   * Cancels this instance's subscriptions on the host; held deliveries stay leased and
   * come back when their leases end. Closes the connection if `connect` made it. Later
   * calls throw CLOSED. Succeeds when the host is already gone. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    try {
      await this.#call('close', []);
    } catch (error) {
      if (!isGoneError(error)) throw error;
    } finally {
      for (const subscriptionId of this.#subscriptionIds) this.#connection.unlisten(subscriptionId);
      this.#subscriptionIds.clear();
      if (this.#ownsConnection) await this.#connection.close();
    }
  }

  async #cancel(subscriptionId: string): Promise<void> {
    // Already cancelled, or ended by close: nothing left to stop.
    if (!this.#subscriptionIds.delete(subscriptionId)) return;
    try {
      await this.#call('cancel', [subscriptionId]);
    } catch (error) {
      if (!isGoneError(error)) throw error;
    } finally {
      this.#connection.unlisten(subscriptionId);
    }
  }

  #call(operation: string, args: unknown[]): Promise<unknown> {
    return this.#connection.request(`broker.${operation}`, this.#target, args);
  }

  #assertOpen(): void {
    if (this.#closing !== undefined) throw new ClosedError('RemoteBroker');
  }
}
