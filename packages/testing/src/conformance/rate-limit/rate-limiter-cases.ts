/** Every promise a RateLimiter makes, in the order the suite runs them. */
import { keysIndependent } from './keys-independent';
import { neverExceedsRateUnderConcurrency } from './never-exceeds-rate-under-concurrency';
import type { RateLimiterCase } from './rate-limiter-case';
import { retryAfterIsHonest } from './retry-after-is-honest';

export const rateLimiterConformanceCases: readonly RateLimiterCase[] = [
  neverExceedsRateUnderConcurrency,
  retryAfterIsHonest,
  keysIndependent,
];
