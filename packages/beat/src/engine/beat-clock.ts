/**
 * The time source of a beat: wall-clock `now()` (skewable for tests) and an abortable
 * sleep. Beat never reads Date.now() directly, so tests can travel in time and
 * multi-process tests can skew one process's clock. Main thread.
 */

export interface BeatClock {
  /** Epoch ms as this beat believes it to be. */
  now(): number;
  /** Resolves after `delayMs` of this clock's time, or at once when `signal` aborts. */
  sleep(delayMs: number, signal: AbortSignal): Promise<void>;
}

/** The system clock shifted by `offsetMs` (positive: this beat runs ahead). @default 0 */
export function systemClock(offsetMs = 0): BeatClock {
  return {
    now: () => Date.now() + offsetMs,
    sleep: (delayMs, signal) =>
      new Promise((resolve) => {
        if (signal.aborted) return resolve();
        const timer = setTimeout(done, Math.max(0, delayMs));
        function done() {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        }
        signal.addEventListener('abort', done, { once: true });
      }),
  };
}

interface Sleeper {
  wakeAt: number;
  resolve: () => void;
}

/** A clock that moves only when told: `set` and `advance` wake sleepers whose time came. */
export class ManualClock implements BeatClock {
  #nowAt: number;
  readonly #sleepers = new Set<Sleeper>();

  /** @param startAt The initial time, epoch ms. */
  constructor(startAt: number) {
    this.#nowAt = startAt;
  }

  now(): number {
    return this.#nowAt;
  }

  sleep(delayMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted || delayMs <= 0) return resolve();
      const sleeper: Sleeper = {
        wakeAt: this.#nowAt + delayMs,
        resolve: () => {
          this.#sleepers.delete(sleeper);
          resolve();
        },
      };
      this.#sleepers.add(sleeper);
      signal.addEventListener('abort', sleeper.resolve, { once: true });
    });
  }

  /** Moves to `nowAt` (epoch ms), never backwards. */
  set(nowAt: number): void {
    this.#nowAt = Math.max(this.#nowAt, nowAt);
    for (const sleeper of [...this.#sleepers]) {
      if (sleeper.wakeAt <= this.#nowAt) sleeper.resolve();
    }
  }

  advance(deltaMs: number): void {
    this.set(this.#nowAt + deltaMs);
  }
}
