/** The type of a rate-limiter conformance case. */
import type { RateLimiter } from '@stem/core';
import type { CaseResources, ConformanceCase } from '../conformance-case';

export type RateLimiterCase = ConformanceCase<CaseResources<RateLimiter>>;
