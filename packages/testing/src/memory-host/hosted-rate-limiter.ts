/** The host side of one RemoteRateLimiter: an InMemoryRateLimiter on the shared buckets. */
import type { InMemoryRateLimiter, RateLimit } from '@stem/core';
import { type HostedAdapter, unknownOperation } from './hosted-adapter';

export class HostedRateLimiter implements HostedAdapter {
  readonly #limiter: InMemoryRateLimiter;

  constructor(limiter: InMemoryRateLimiter) {
    this.#limiter = limiter;
  }

  async call(operation: string, args: readonly unknown[]): Promise<unknown> {
    if (operation !== 'acquire') throw unknownOperation('rateLimiter', operation);
    return this.#limiter.acquire(
      args[0] as string,
      args[1] as RateLimit,
      args[2] as number | undefined,
    );
  }

  async close(): Promise<void> {
    await this.#limiter.close();
  }
}
