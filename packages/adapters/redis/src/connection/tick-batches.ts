/**
 * Calls issued in one tick, gathered per key and sent together when the tick ends
 * (process.nextTick runs after the current microtasks, before the event loop waits
 * again), so fifty settlements of one I/O turn cost one script call, not fifty. Each
 * item keeps its own promise; `flush` sends early, for a command that must not overtake
 * them.
 */

/** One gathered call: its input and how to settle its promise. */
export interface BatchedCall<TInput> {
  input: TInput;
  resolve: (value: undefined) => void;
  reject: (error: unknown) => void;
}

export class TickBatches<TInput> {
  readonly #pending = new Map<string, Array<BatchedCall<TInput>>>();
  readonly #maxBatch: number;
  readonly #send: (key: string, calls: Array<BatchedCall<TInput>>) => void;

  /**
   * `send` gets at most `maxBatch` calls at a time, in the order they were added, and
   * settles each one (it must not throw).
   */
  constructor(maxBatch: number, send: (key: string, calls: Array<BatchedCall<TInput>>) => void) {
    this.#maxBatch = maxBatch;
    this.#send = send;
  }

  /** Adds a call under `key`; the promise settles once its batch has been answered. */
  add(key: string, input: TInput): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) process.nextTick(() => this.flush());
      const call = { input, resolve, reject };
      const calls = this.#pending.get(key);
      if (calls === undefined) this.#pending.set(key, [call]);
      else calls.push(call);
    });
  }

  /** Sends everything gathered so far (a no-op when nothing is). */
  flush(): void {
    if (this.#pending.size === 0) return;
    const batches = [...this.#pending];
    this.#pending.clear();
    for (const [key, calls] of batches) {
      for (let start = 0; start < calls.length; start += this.#maxBatch) {
        this.#send(key, calls.slice(start, start + this.#maxBatch));
      }
    }
  }
}
