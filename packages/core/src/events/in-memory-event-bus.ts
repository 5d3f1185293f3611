/**
 * An EventBus inside one process: instances given the same state reach each other's
 * subscribers, like processes on one Redis pub/sub channel. Delivery is queued as a
 * microtask so `publish` never runs subscriber code on the publisher's stack, and each
 * subscriber gets its own copy of the event.
 */
import { ClosedError } from '../errors/errors';
import type { EventBus, StemEventListener } from './event-bus';
import type { StemEvent, StemEventType } from './stem-event';

interface EventSubscription {
  listener: StemEventListener;
  /** Types delivered; undefined means all. */
  types: ReadonlySet<StemEventType> | undefined;
  active: boolean;
}

/** The subscribers shared by every InMemoryEventBus built on it (one memory:// name). */
export class InMemoryEventBusState {
  readonly subscriptions = new Set<EventSubscription>();
}

export interface InMemoryEventBusOptions {
  /** Share subscribers with other instances. @default a fresh, private state */
  state?: InMemoryEventBusState;
}

export class InMemoryEventBus implements EventBus {
  readonly #state: InMemoryEventBusState;
  readonly #own = new Set<EventSubscription>();
  #closed = false;

  constructor(options: InMemoryEventBusOptions = {}) {
    this.#state = options.state ?? new InMemoryEventBusState();
  }

  /**
   * Queues `event` for every matching subscriber of every instance and resolves at once.
   * A subscriber that throws is reported with `process.emitWarning`; the others still
   * receive the event.
   */
  async publish(event: StemEvent): Promise<void> {
    this.#assertOpen();
    for (const subscription of this.#state.subscriptions) {
      if (subscription.types !== undefined && !subscription.types.has(event.type)) continue;
      const copy = structuredClone(event);
      queueMicrotask(() => deliver(subscription, copy));
    }
  }

  /** Subscribes to `types` (@default all); resolves to an idempotent unsubscribe. */
  async subscribe(
    listener: StemEventListener,
    types?: readonly StemEventType[],
  ): Promise<() => Promise<void>> {
    this.#assertOpen();
    const subscription: EventSubscription = {
      listener,
      types: types === undefined ? undefined : new Set(types),
      active: true,
    };
    this.#state.subscriptions.add(subscription);
    this.#own.add(subscription);
    return async () => this.#unsubscribe(subscription);
  }

  /** Ends this instance's subscriptions (events already queued to them are dropped). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const subscription of [...this.#own]) this.#unsubscribe(subscription);
  }

  #unsubscribe(subscription: EventSubscription): void {
    subscription.active = false;
    this.#state.subscriptions.delete(subscription);
    this.#own.delete(subscription);
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClosedError('InMemoryEventBus');
  }
}

function deliver(subscription: EventSubscription, event: StemEvent): void {
  // Unsubscribing between publish and delivery must stop delivery.
  if (!subscription.active) return;
  try {
    subscription.listener(event);
  } catch (error) {
    process.emitWarning(
      `an event subscriber threw on ${event.type}: ${error instanceof Error ? error.message : String(error)}`,
      'StemEventListenerWarning',
    );
  }
}
