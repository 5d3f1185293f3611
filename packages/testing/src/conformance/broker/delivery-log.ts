/**
 * A delivery handler for conformance cases that records each delivery with the time
 * it arrived, and lets a case wait for a number of deliveries within a bound.
 */
import type { Delivery, DeliveryHandler } from '@stem/core';
import { eventually } from '../conformance-case';

/**
 * How long a case waits for something that must happen, in ms: generous, so a loaded
 * machine does not fail a correct adapter. Things that must not happen early are
 * checked strictly instead.
 */
export const PATIENCE_MS = 5_000;

export interface LoggedDelivery {
  delivery: Delivery;
  /** Epoch ms at which the handler was called. */
  receivedAt: number;
}

export class DeliveryLog {
  readonly entries: LoggedDelivery[] = [];
  readonly #onDelivery: ((delivery: Delivery) => void) | undefined;

  /** @param onDelivery also called with each delivery, after it is recorded */
  constructor(onDelivery?: (delivery: Delivery) => void) {
    this.#onDelivery = onDelivery;
  }

  /** Pass this to `broker.consume`. */
  readonly handler: DeliveryHandler = (delivery) => {
    this.entries.push({ delivery, receivedAt: Date.now() });
    this.#onDelivery?.(delivery);
  };

  get count(): number {
    return this.entries.length;
  }

  /** The delivery at `index` (0-based); throws if it has not arrived. */
  delivery(index: number): Delivery {
    return this.entry(index).delivery;
  }

  entry(index: number): LoggedDelivery {
    const entry = this.entries[index];
    if (entry === undefined) throw new Error(`delivery #${index + 1} has not arrived`);
    return entry;
  }

  /** Waits until at least `count` deliveries arrived. @param timeoutMs @default PATIENCE_MS */
  async waitForCount(count: number, what: string, timeoutMs = PATIENCE_MS): Promise<void> {
    await eventually(
      `${what} (${count} deliveries, ${this.count} so far)`,
      () => {
        return this.count >= count;
      },
      timeoutMs,
    );
  }
}
