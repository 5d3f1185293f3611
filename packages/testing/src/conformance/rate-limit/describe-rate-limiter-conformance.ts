/**
 * Registers the rate-limiter conformance suite under vitest. An adapter's
 * `test/conformance.test.ts` calls it once with a factory for fresh instances.
 */
import type { RateLimiter } from '@stem/core';
import { describeCases } from '../conformance-case';
import { rateLimiterConformanceCases } from './rate-limiter-cases';

export interface RateLimiterConformanceOptions {
  /** Shown in the suite's title, e.g. `RedisRateLimiter`. */
  name: string;
  /**
   * A new instance in `namespace`. Instances opened with the same namespace must share
   * buckets like two workers on one server; different namespaces must not.
   */
  open: (namespace: string) => RateLimiter | Promise<RateLimiter>;
}

export function describeRateLimiterConformance(options: RateLimiterConformanceOptions): void {
  describeCases(
    `${options.name} rate limiter conformance`,
    rateLimiterConformanceCases,
    options.open,
    (resources) => resources,
  );
}
