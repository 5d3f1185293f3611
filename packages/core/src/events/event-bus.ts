/**
 * The EventBus contract: fire-and-forget fan-out of StemEvents to every subscriber
 * in every process sharing the bus. Delivery is best effort (a subscriber that is not
 * connected misses events); durable facts live in the result backend.
 */
import type { StemEvent, StemEventType } from './stem-event';

export type StemEventListener = (event: StemEvent) => void;

export interface EventBus {
  publish(event: StemEvent): Promise<void>;
  /** Subscribes to the given types (all types if omitted); resolves to an unsubscribe. */
  subscribe(
    listener: StemEventListener,
    types?: readonly StemEventType[],
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
