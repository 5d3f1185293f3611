/**
 * A RateLimiter whose buckets live in a MemoryAdapterHost, so workers in several
 * processes draw from one bucket per key. Runs on the client's main thread.
 */
import { ClosedError, type RateLimit, type RateLimitDecision, type RateLimiter } from '@stem/core';
import { isGoneError } from './is-gone-error';
import { MemoryHostConnection, type MemoryHostConnectOptions } from './memory-host-connection';

export class RemoteRateLimiter implements RateLimiter {
  readonly #connection: MemoryHostConnection;
  readonly #target: number;
  #ownsConnection = false;
  #closing: Promise<void> | undefined;

  /** An instance on a connection someone else owns (and closes). */
  constructor(connection: MemoryHostConnection) {
    this.#connection = connection;
    this.#target = connection.newTarget();
  }

  /** An instance on its own new connection, which its `close` closes. */
  static async connect(
    socketPath: string,
    options: MemoryHostConnectOptions = {},
  ): Promise<RemoteRateLimiter> {
    const limiter = new RemoteRateLimiter(await MemoryHostConnection.open(socketPath, options));
    limiter.#ownsConnection = true;
    return limiter;
  }

  /** Takes `tokens` (@default 1) from `key`'s bucket on the host. */
  async acquire(key: string, limit: RateLimit, tokens?: number): Promise<RateLimitDecision> {
    if (this.#closing !== undefined) throw new ClosedError('RemoteRateLimiter');
    const decision = this.#connection.request('rateLimiter.acquire', this.#target, [
      key,
      limit,
      tokens,
    ]);
    return (await decision) as RateLimitDecision;
  }

  /** Detaches this instance (the shared buckets stay). Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    try {
      await this.#connection.request('rateLimiter.close', this.#target, []);
    } catch (error) {
      if (!isGoneError(error)) throw error;
    } finally {
      if (this.#ownsConnection) await this.#connection.close();
    }
  }
}
