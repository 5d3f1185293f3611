/**
 * A RateLimiter whose buckets live in a MemoryAdapterHost, so workers in several
 * processes draw from one bucket per key. Runs on the client's main thread.
 */
import type { RateLimit, RateLimitDecision, RateLimiter } from '@stem/core';
import { HostTarget } from './host-target';
import { MemoryHostConnection, type MemoryHostConnectOptions } from './memory-host-connection';

export class RemoteRateLimiter implements RateLimiter {
  readonly #host: HostTarget;

  /** An instance on a connection someone else owns (and closes). */
  constructor(connection: MemoryHostConnection) {
    this.#host = new HostTarget(connection, 'rateLimiter', 'RemoteRateLimiter');
  }

  /** An instance on its own new connection, which its `close` closes. */
  static async connect(
    socketPath: string,
    options: MemoryHostConnectOptions = {},
  ): Promise<RemoteRateLimiter> {
    const limiter = new RemoteRateLimiter(await MemoryHostConnection.open(socketPath, options));
    limiter.#host.ownConnection();
    return limiter;
  }

  /** Takes `tokens` (@default 1) from `key`'s bucket on the host. */
  async acquire(key: string, limit: RateLimit, tokens?: number): Promise<RateLimitDecision> {
    this.#host.assertOpen();
    const decision = this.#host.call('acquire', [key, limit, tokens]);
    return (await decision) as RateLimitDecision;
  }

  /** Detaches this instance (the shared buckets stay). Idempotent. */
  close(): Promise<void> {
    return this.#host.close();
  }
}
