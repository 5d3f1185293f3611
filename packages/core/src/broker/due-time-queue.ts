/**
 * Items held until an epoch-ms due time, for the in-memory broker's delayed messages.
 * One unref'd timer is armed for the earliest item only (no polling), and an item is
 * released only once Date.now() has reached its due time, so never early. Runs on the
 * main thread.
 */

// setTimeout keeps delays in 32 bits; a longer wait is re-armed when the timer fires.
const MAX_TIMER_MS = 2_147_483_647;

interface DueEntry<T> {
  item: T;
  dueAt: number;
}

export class DueTimeQueue<T> {
  readonly #onDue: (item: T) => void;
  // Sorted by dueAt; equal due times keep insertion order.
  #entries: DueEntry<T>[] = [];
  #timer: NodeJS.Timeout | undefined;

  /** @param onDue called with each item once its time has come, earliest first */
  constructor(onDue: (item: T) => void) {
    this.#onDue = onDue;
  }

  get size(): number {
    return this.#entries.length;
  }

  /** Holds `item` until `dueAt` (epoch ms). */
  add(item: T, dueAt: number): void {
    // First entry due strictly later, so equal due times stay in insertion order.
    let low = 0;
    let high = this.#entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#entries[middle]!.dueAt <= dueAt) low = middle + 1;
      else high = middle;
    }
    this.#entries.splice(low, 0, { item, dueAt });
    if (low === 0) this.#arm();
  }

  /** Drops every item; returns how many there were. */
  clear(): number {
    const count = this.#entries.length;
    this.#entries = [];
    clearTimeout(this.#timer);
    return count;
  }

  #arm(): void {
    clearTimeout(this.#timer);
    const head = this.#entries[0];
    if (head === undefined) return;
    const waitMs = Math.min(MAX_TIMER_MS, Math.max(0, head.dueAt - Date.now()));
    this.#timer = setTimeout(() => this.#releaseDue(), waitMs);
    this.#timer.unref();
  }

  #releaseDue(): void {
    const now = Date.now();
    while (this.#entries.length > 0 && this.#entries[0]!.dueAt <= now) {
      this.#onDue(this.#entries.shift()!.item);
    }
    // A timer may fire a little before Date.now() reaches the due time: re-arm then.
    this.#arm();
  }
}
