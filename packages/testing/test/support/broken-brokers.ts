/**
 * Deliberately broken brokers, each breaking one promise of the Broker contract by
 * wrapping a real InMemoryBroker. The broker conformance suite must fail against every
 * one of them: that is how we know the suite can fail.
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
  InMemoryBroker,
  InMemoryBrokerState,
  type NackOptions,
  type QueueStats,
  type Subscription,
} from '@stem/core';

/** What every broker opened on one namespace shares. */
class BrokenNamespace {
  readonly state = new InMemoryBrokerState();
  /** The latest delivery of each message, across instances (for the unfenced ack). */
  readonly latest = new Map<string, Delivery>();
  /** Fields a broken publish hid from the inner broker, restored on delivery by task id. */
  readonly hidden = new Map<string, Partial<Envelope>>();
}

/** Forwards every call to a real in-memory broker; variants override what they break. */
class ForwardingBroker implements Broker {
  readonly inner: InMemoryBroker;
  readonly shared: BrokenNamespace;

  constructor(shared: BrokenNamespace, inner = new InMemoryBroker({ state: shared.state })) {
    this.shared = shared;
    this.inner = inner;
  }
  get capabilities(): BrokerCapabilities {
    return this.inner.capabilities;
  }
  publish(envelope: Envelope): Promise<void> {
    return this.inner.publish(envelope);
  }
  consume(options: ConsumeOptions, handler: DeliveryHandler): Promise<Subscription> {
    return this.inner.consume(options, (delivery) => {
      this.shared.latest.set(delivery.messageId, delivery);
      const hidden = this.shared.hidden.get(delivery.envelope.id);
      handler(hidden ? { ...delivery, envelope: { ...delivery.envelope, ...hidden } } : delivery);
    });
  }
  ack(delivery: Delivery): Promise<void> {
    return this.inner.ack(delivery);
  }
  nack(delivery: Delivery, options?: NackOptions): Promise<void> {
    return this.inner.nack(delivery, options);
  }
  release(delivery: Delivery): Promise<void> {
    return this.inner.release(delivery);
  }
  extendLease(delivery: Delivery, leaseMs: number): Promise<number> {
    return this.inner.extendLease(delivery, leaseMs);
  }
  deadLetter(delivery: Delivery, reason: DeadLetterReason): Promise<void> {
    return this.inner.deadLetter(delivery, reason);
  }
  listDeadLetters(query: DeadLetterQuery): Promise<DeadLetterPage> {
    return this.inner.listDeadLetters(query);
  }
  replayDeadLetters(query: DeadLetterQuery): Promise<number> {
    return this.inner.replayDeadLetters(query);
  }
  purgeDeadLetters(query: DeadLetterQuery): Promise<number> {
    return this.inner.purgeDeadLetters(query);
  }
  purge(queue: string): Promise<number> {
    return this.inner.purge(queue);
  }
  stats(queue: string): Promise<QueueStats> {
    return this.inner.stats(queue);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Swallows every redelivery: a message whose lease ends is never seen again. */
class NoRedeliveryBroker extends ForwardingBroker {
  override consume(options: ConsumeOptions, handler: DeliveryHandler): Promise<Subscription> {
    return super.consume(options, (delivery) => {
      if (delivery.deliveryCount === 1) handler(delivery);
    });
  }
}

/** Delivers delayed messages at once (notBeforeAt hidden from the store), ignores nack delays. */
class EagerDelayBroker extends ForwardingBroker {
  override publish(envelope: Envelope): Promise<void> {
    if (envelope.notBeforeAt === undefined) return super.publish(envelope);
    const { notBeforeAt, ...rest } = envelope;
    this.shared.hidden.set(envelope.id, { notBeforeAt });
    return super.publish(rest);
  }
  override nack(delivery: Delivery, options: NackOptions = {}): Promise<void> {
    const { delayMs: _ignored, ...rest } = options;
    return super.nack(delivery, rest);
  }
}

/** Acks whoever holds the message now, whatever lease token the caller had. */
class UnfencedAckBroker extends ForwardingBroker {
  override ack(delivery: Delivery): Promise<void> {
    return super.ack(this.shared.latest.get(delivery.messageId) ?? delivery);
  }
}

/** Hands a consumer everything, whatever its prefetch. */
class UnboundedPrefetchBroker extends ForwardingBroker {
  override consume(options: ConsumeOptions, handler: DeliveryHandler): Promise<Subscription> {
    return super.consume({ ...options, prefetch: 1_000_000 }, handler);
  }
}

/** Never dead-letters a poison message: it is delivered forever. */
class NoDeliveryLimitBroker extends ForwardingBroker {
  override consume(options: ConsumeOptions, handler: DeliveryHandler): Promise<Subscription> {
    return super.consume({ ...options, deliveryLimit: Number.MAX_SAFE_INTEGER }, handler);
  }
}

/** Implements release as a plain nack: counted, and sent to the back of the queue. */
class CountedReleaseBroker extends ForwardingBroker {
  override release(delivery: Delivery): Promise<void> {
    return super.nack(delivery);
  }
}

/** Answers extendLease with a plausible time but never extends anything. */
class IgnoredExtensionBroker extends ForwardingBroker {
  override async extendLease(_delivery: Delivery, leaseMs: number): Promise<number> {
    return Date.now() + leaseMs;
  }
}

/** Calls the handler twice for every delivery. */
class DoubleDeliveryBroker extends ForwardingBroker {
  override consume(options: ConsumeOptions, handler: DeliveryHandler): Promise<Subscription> {
    return super.consume(options, (delivery) => {
      handler(delivery);
      handler(delivery);
    });
  }
}

/** Declares 10 priority levels but stores everything at priority 0. */
class IgnoredPriorityBroker extends ForwardingBroker {
  override publish(envelope: Envelope): Promise<void> {
    this.shared.hidden.set(envelope.id, { priority: envelope.priority });
    return super.publish({ ...envelope, priority: 0 });
  }
}

/** Declares the default 1 MiB limit but accepts four times as much. */
class LaxSizeBroker extends ForwardingBroker {
  readonly #declared: BrokerCapabilities;
  constructor(shared: BrokenNamespace) {
    super(shared, new InMemoryBroker({ state: shared.state, maxEnvelopeBytes: 4 * 1_048_576 }));
    this.#declared = { ...this.inner.capabilities, maxEnvelopeBytes: 1_048_576 };
  }
  override get capabilities(): BrokerCapabilities {
    return this.#declared;
  }
}

/** Acknowledges nothing: ack resolves but the message stays leased and comes back. */
class ForgetfulAckBroker extends ForwardingBroker {
  override async ack(_delivery: Delivery): Promise<void> {}
}

/** A case expected to catch a broken broker, and the failure it should report. */
export interface ExpectedCatch {
  /** Conformance case name, e.g. `stale-ack-refused`. */
  case: string;
  /** Matches the first line of the case's failure message. */
  failure: RegExp;
}

export interface BrokenBroker {
  /** What this variant breaks, completing "a broker that …". */
  name: string;
  /** Opens an instance in `namespace`; instances on one namespace share their queues. */
  open: (namespace: string) => Broker;
  /** The conformance cases that must fail against it. */
  caughtBy: readonly ExpectedCatch[];
}

function variant(
  name: string,
  make: (shared: BrokenNamespace) => Broker,
  caughtBy: readonly ExpectedCatch[],
): BrokenBroker {
  const namespaces = new Map<string, BrokenNamespace>();
  return {
    name,
    caughtBy,
    open(namespace) {
      let shared = namespaces.get(namespace);
      if (shared === undefined) {
        shared = new BrokenNamespace();
        namespaces.set(namespace, shared);
      }
      return make(shared);
    },
  };
}

/** Every broken broker with the cases expected to catch it. */
export const brokenBrokers: readonly BrokenBroker[] = [
  variant('never redelivers after lease expiry', (s) => new NoRedeliveryBroker(s), [
    { case: 'lease-expiry-redelivers', failure: /timed out .* the redelivery after the lease/ },
    { case: 'poison-dead-lettered-once', failure: /delivered exactly 3 times/ },
  ]),
  variant('delivers delayed messages at once', (s) => new EagerDelayBroker(s), [
    { case: 'delayed-delivery-never-early', failure: /counted as delayed/ },
    { case: 'nack-with-delay-redelivers-later', failure: /before the 400 ms delay/ },
  ]),
  variant('acks whatever lease token it is given', (s) => new UnfencedAckBroker(s), [
    { case: 'stale-ack-refused', failure: /ack by the stale holder should have been refused/ },
  ]),
  variant('ignores the prefetch bound', (s) => new UnboundedPrefetchBroker(s), [
    { case: 'prefetch-bound-holds', failure: /exactly 3 delivered while none is settled/ },
  ]),
  variant('never dead-letters poison messages', (s) => new NoDeliveryLimitBroker(s), [
    { case: 'poison-dead-lettered-once', failure: /delivered exactly 3 times, never more/ },
  ]),
  variant('counts a release as a delivery', (s) => new CountedReleaseBroker(s), [
    { case: 'release-does-not-count', failure: /released message is delivered first again/ },
  ]),
  variant('ignores extendLease', (s) => new IgnoredExtensionBroker(s), [
    { case: 'lease-extension-prevents-redelivery', failure: /not redelivered while the lease/ },
  ]),
  variant('hands one delivery out twice', (s) => new DoubleDeliveryBroker(s), [
    { case: 'concurrent-consumers-never-share', failure: /no message was held twice/ },
    { case: 'publish-consume-ack', failure: /delivered exactly once/ },
  ]),
  variant('ignores the priorities it declares', (s) => new IgnoredPriorityBroker(s), [
    { case: 'priority-order', failure: /higher priorities first/ },
  ]),
  variant('accepts envelopes over its declared limit', (s) => new LaxSizeBroker(s), [
    {
      case: 'oversized-publish-rejected',
      failure: /should have been refused with PAYLOAD_TOO_LARGE/,
    },
  ]),
  variant('keeps acked messages', (s) => new ForgetfulAckBroker(s), [
    { case: 'ack-removes-for-good', failure: /no acked message came back/ },
  ]),
];
