/**
 * Retry strategy: how many times a failed task is tried again, how long to wait
 * before each try (exponential backoff with jitter and a cap), and which errors
 * are worth retrying at all. Pure functions, safe on any thread.
 */

/** An error class, or a name / code string matched against the error's `type` or `code`. */
export type ErrorMatcher = string | (abstract new (...args: never[]) => Error);

export interface RetryPolicyOptions {
  /** Retries after the first attempt. @default 3 */
  maxRetries?: number;
  /** Delay before the first retry, ms. @default 1_000 */
  initialDelayMs?: number;
  /** Factor applied per further retry. @default 2 */
  multiplier?: number;
  /** Cap on any single delay, ms. @default 300_000 */
  maxDelayMs?: number;
  /**
   * `full`: uniform in [0, delay]; `equal`: delay/2 + uniform in [0, delay/2];
   * `none`: exactly the delay. @default 'full'
   */
  jitter?: 'full' | 'equal' | 'none';
  /** Only these errors are retried (by default every retryable error is). */
  retryOn?: readonly ErrorMatcher[];
  /** These errors fail at once, even if listed in `retryOn`. */
  dontRetryOn?: readonly ErrorMatcher[];
}

export interface ResolvedRetryPolicy {
  maxRetries: number;
  initialDelayMs: number;
  multiplier: number;
  maxDelayMs: number;
  jitter: 'full' | 'equal' | 'none';
  retryOn: readonly ErrorMatcher[] | undefined;
  dontRetryOn: readonly ErrorMatcher[];
}

const JITTER_MODES: readonly ResolvedRetryPolicy['jitter'][] = ['full', 'equal', 'none'];

export function resolveRetryPolicyOptions(options: RetryPolicyOptions = {}): ResolvedRetryPolicy {
  const policy: ResolvedRetryPolicy = {
    maxRetries: options.maxRetries ?? 3,
    initialDelayMs: options.initialDelayMs ?? 1_000,
    multiplier: options.multiplier ?? 2,
    maxDelayMs: options.maxDelayMs ?? 300_000,
    jitter: options.jitter ?? 'full',
    retryOn: options.retryOn,
    dontRetryOn: options.dontRetryOn ?? [],
  };
  assertNonNegativeInteger('maxRetries', policy.maxRetries);
  assertNonNegativeInteger('initialDelayMs', policy.initialDelayMs);
  assertNonNegativeInteger('maxDelayMs', policy.maxDelayMs);
  if (!(policy.multiplier >= 1) || !Number.isFinite(policy.multiplier)) {
    throw new RangeError(`retry.multiplier must be a finite number >= 1, got ${policy.multiplier}`);
  }
  if (!JITTER_MODES.includes(policy.jitter)) {
    throw new RangeError(
      `retry.jitter must be one of ${JITTER_MODES.join(', ')}, got ${JSON.stringify(policy.jitter)}`,
    );
  }
  return policy;
}

/**
 * Delay before retry number `retry` (1 for the first retry). `random` returns a number
 * in [0, 1) and is injectable so tests can pin the jitter.
 */
export function computeRetryDelayMs(
  policy: ResolvedRetryPolicy,
  retry: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, retry - 1);
  const uncapped = policy.initialDelayMs * policy.multiplier ** exponent;
  const delay = Math.min(policy.maxDelayMs, Number.isFinite(uncapped) ? uncapped : Infinity);
  switch (policy.jitter) {
    case 'none':
      return Math.round(delay);
    case 'equal':
      return Math.round(delay / 2 + random() * (delay / 2));
    case 'full':
      return Math.round(random() * delay);
  }
}

/** The facts about a failure the policy looks at. */
export interface FailureFacts {
  /** The thrown value itself where available (same thread), for class matchers. */
  error?: unknown;
  /** The error's class name (`ErrorRecord.type`). */
  type: string;
  code?: string;
  /** False for errors that declare themselves permanent. */
  retryable: boolean;
}

/** Whether a task that failed on `attempt` (1-based) should be tried again. */
export function shouldRetry(
  policy: ResolvedRetryPolicy,
  failure: FailureFacts,
  attempt: number,
): boolean {
  if (attempt > policy.maxRetries) return false;
  if (policy.dontRetryOn.some((matcher) => matchesError(matcher, failure))) return false;
  if (policy.retryOn !== undefined) {
    return policy.retryOn.some((matcher) => matchesError(matcher, failure));
  }
  return failure.retryable;
}

export function matchesError(matcher: ErrorMatcher, failure: FailureFacts): boolean {
  if (typeof matcher === 'string') return matcher === failure.type || matcher === failure.code;
  if (failure.error instanceof matcher) return true;
  // Across threads the instance is gone; the class name is what is left to match.
  return matcher.name === failure.type;
}

function assertNonNegativeInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`retry.${field} must be a non-negative integer, got ${value}`);
  }
}
