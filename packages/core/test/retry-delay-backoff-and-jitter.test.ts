import {
  ArgumentsInvalidError,
  computeRetryDelayMs,
  type FailureFacts,
  type ResolvedRetryPolicy,
  type RetryPolicyOptions,
  resolveRetryPolicyOptions,
  shouldRetry,
  toErrorRecord,
} from '@stem/core';
import { describe, expect, it } from 'vitest';

class NetworkError extends Error {}
class SocketResetError extends NetworkError {}
class PaymentDeclinedError extends Error {}

function policy(options: RetryPolicyOptions = {}): ResolvedRetryPolicy {
  return resolveRetryPolicyOptions(options);
}

/** The facts the worker derives from a thrown value on its own thread. */
function factsOf(error: unknown): FailureFacts {
  const record = toErrorRecord(error);
  return {
    error,
    type: record.type,
    retryable: record.retryable,
    ...(record.code === undefined ? {} : { code: record.code }),
  };
}

/** The same facts after the error crossed a thread: only plain data is left. */
function plainFactsOf(error: unknown): FailureFacts {
  const { error: _dropped, ...plain } = factsOf(error);
  return plain;
}

const pinned = (value: number) => () => value;
const RANDOM_SAMPLES = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999_999];

describe('retry delays', () => {
  it('grow exponentially from the initial delay', () => {
    const resolved = policy({ initialDelayMs: 100, multiplier: 3, jitter: 'none' });
    const delays = [1, 2, 3, 4].map((retry) => computeRetryDelayMs(resolved, retry));
    expect(delays).toEqual([100, 300, 900, 2_700]);
  });

  it('default to 1 s doubling with full jitter, capped at 5 minutes', () => {
    const resolved = policy();
    expect(resolved).toMatchObject({
      maxRetries: 3,
      initialDelayMs: 1_000,
      multiplier: 2,
      maxDelayMs: 300_000,
      jitter: 'full',
    });
    // random just below 1 gives (almost) the whole exponential delay.
    expect(computeRetryDelayMs(resolved, 3, pinned(0.999_999))).toBe(4_000);
  });

  it('never exceed maxDelayMs, even for absurd retry numbers', () => {
    const resolved = policy({ initialDelayMs: 100, maxDelayMs: 1_000, jitter: 'none' });
    const delays = [1, 2, 3, 4, 5, 6].map((retry) => computeRetryDelayMs(resolved, retry));
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(computeRetryDelayMs(resolved, 5_000)).toBe(1_000);
  });

  it('treat retry numbers below 1 as the first retry', () => {
    const resolved = policy({ initialDelayMs: 250, jitter: 'none' });
    expect(computeRetryDelayMs(resolved, 0)).toBe(250);
  });

  it('with full jitter lie uniformly in [0, delay]', () => {
    const resolved = policy({ initialDelayMs: 1_000, jitter: 'full' });
    // retry 3: delay 4000
    expect(computeRetryDelayMs(resolved, 3, pinned(0))).toBe(0);
    expect(computeRetryDelayMs(resolved, 3, pinned(0.5))).toBe(2_000);
    expect(computeRetryDelayMs(resolved, 3, pinned(0.25))).toBe(1_000);
    for (const sample of RANDOM_SAMPLES) {
      const delay = computeRetryDelayMs(resolved, 3, pinned(sample));
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(4_000);
    }
  });

  it('with equal jitter lie in [delay / 2, delay]', () => {
    const resolved = policy({ initialDelayMs: 1_000, jitter: 'equal' });
    expect(computeRetryDelayMs(resolved, 3, pinned(0))).toBe(2_000);
    expect(computeRetryDelayMs(resolved, 3, pinned(0.5))).toBe(3_000);
    for (const sample of RANDOM_SAMPLES) {
      const delay = computeRetryDelayMs(resolved, 3, pinned(sample));
      expect(delay).toBeGreaterThanOrEqual(2_000);
      expect(delay).toBeLessThanOrEqual(4_000);
    }
  });

  it('with jitter applied stay within the cap', () => {
    const full = policy({ initialDelayMs: 1_000, maxDelayMs: 1_500, jitter: 'full' });
    const equal = policy({ initialDelayMs: 1_000, maxDelayMs: 1_500, jitter: 'equal' });
    for (const sample of RANDOM_SAMPLES) {
      expect(computeRetryDelayMs(full, 10, pinned(sample))).toBeLessThanOrEqual(1_500);
      expect(computeRetryDelayMs(equal, 10, pinned(sample))).toBeGreaterThanOrEqual(750);
      expect(computeRetryDelayMs(equal, 10, pinned(sample))).toBeLessThanOrEqual(1_500);
    }
  });

  it('without jitter ignore the random source', () => {
    const resolved = policy({ initialDelayMs: 500, jitter: 'none' });
    const random = () => {
      throw new Error('jitter "none" must not draw a random number');
    };
    expect(computeRetryDelayMs(resolved, 2, random)).toBe(1_000);
  });

  it('are whole milliseconds', () => {
    const resolved = policy({ initialDelayMs: 333, multiplier: 1.5, jitter: 'full' });
    for (const sample of RANDOM_SAMPLES) {
      expect(Number.isInteger(computeRetryDelayMs(resolved, 4, pinned(sample)))).toBe(true);
    }
  });
});

describe('invalid retry options', () => {
  const invalid: Array<[string, RetryPolicyOptions]> = [
    ['negative maxRetries', { maxRetries: -1 }],
    ['fractional maxRetries', { maxRetries: 1.5 }],
    ['NaN maxRetries', { maxRetries: Number.NaN }],
    ['negative initialDelayMs', { initialDelayMs: -10 }],
    ['infinite initialDelayMs', { initialDelayMs: Number.POSITIVE_INFINITY }],
    ['fractional maxDelayMs', { maxDelayMs: 0.5 }],
    ['multiplier below 1', { multiplier: 0.5 }],
    ['NaN multiplier', { multiplier: Number.NaN }],
    ['infinite multiplier', { multiplier: Number.POSITIVE_INFINITY }],
    ['unknown jitter mode', { jitter: 'sometimes' as unknown as 'full' }],
  ];

  it.each(invalid)('are refused with a RangeError: %s', (_label, options) => {
    expect(() => resolveRetryPolicyOptions(options)).toThrow(RangeError);
  });

  it('name the offending field', () => {
    expect(() => resolveRetryPolicyOptions({ maxRetries: -1 })).toThrow(/maxRetries/);
    expect(() => resolveRetryPolicyOptions({ multiplier: 0 })).toThrow(/multiplier/);
  });

  it('include zero retries and a zero delay as valid', () => {
    expect(resolveRetryPolicyOptions({ maxRetries: 0, initialDelayMs: 0 })).toMatchObject({
      maxRetries: 0,
      initialDelayMs: 0,
    });
  });
});

describe('should-retry rules', () => {
  it('retry attempts 1..maxRetries and stop at attempt maxRetries + 1', () => {
    const resolved = policy({ maxRetries: 3 });
    const facts = factsOf(new Error('flaky'));
    expect([1, 2, 3].map((attempt) => shouldRetry(resolved, facts, attempt))).toEqual([
      true,
      true,
      true,
    ]);
    expect(shouldRetry(resolved, facts, 4)).toBe(false);
    expect(shouldRetry(resolved, facts, 5)).toBe(false);
  });

  it('never retry with maxRetries 0', () => {
    expect(shouldRetry(policy({ maxRetries: 0 }), factsOf(new Error('x')), 1)).toBe(false);
  });

  it('retry any retryable error by default, but not errors declared permanent', () => {
    const resolved = policy();
    expect(shouldRetry(resolved, factsOf(new TypeError('boom')), 1)).toBe(true);
    const permanent = Object.assign(new Error('card expired'), { retryable: false });
    expect(shouldRetry(resolved, factsOf(permanent), 1)).toBe(false);
    expect(shouldRetry(resolved, factsOf(new ArgumentsInvalidError('t', ['x: bad'])), 1)).toBe(
      false,
    );
  });

  it('with retryOn by class retry that class and its subclasses only', () => {
    const resolved = policy({ retryOn: [NetworkError] });
    expect(shouldRetry(resolved, factsOf(new NetworkError('down')), 1)).toBe(true);
    expect(shouldRetry(resolved, factsOf(new SocketResetError('reset')), 1)).toBe(true);
    expect(shouldRetry(resolved, factsOf(new PaymentDeclinedError('no')), 1)).toBe(false);
    expect(shouldRetry(resolved, factsOf(new Error('plain')), 1)).toBe(false);
  });

  it('with retryOn by name string match the error class name', () => {
    const resolved = policy({ retryOn: ['TypeError', 'NetworkError'] });
    expect(shouldRetry(resolved, factsOf(new TypeError('t')), 1)).toBe(true);
    expect(shouldRetry(resolved, factsOf(new NetworkError('n')), 1)).toBe(true);
    expect(shouldRetry(resolved, factsOf(new RangeError('r')), 1)).toBe(false);
  });

  it('with retryOn by code match the error code', () => {
    const resolved = policy({ retryOn: ['ECONNRESET'] });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const refused = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    expect(shouldRetry(resolved, factsOf(reset), 1)).toBe(true);
    expect(shouldRetry(resolved, factsOf(refused), 1)).toBe(false);
  });

  it('let dontRetryOn win over retryOn', () => {
    const resolved = policy({
      retryOn: [NetworkError, 'ECONNRESET'],
      dontRetryOn: [SocketResetError, 'ECONNRESET'],
    });
    expect(shouldRetry(resolved, factsOf(new NetworkError('n')), 1)).toBe(true);
    expect(shouldRetry(resolved, factsOf(new SocketResetError('s')), 1)).toBe(false);
    const reset = Object.assign(new NetworkError('reset'), { code: 'ECONNRESET' });
    expect(shouldRetry(resolved, factsOf(reset), 1)).toBe(false);
  });

  it('let dontRetryOn stop an otherwise retryable error without retryOn', () => {
    const resolved = policy({ dontRetryOn: ['PaymentDeclinedError'] });
    expect(shouldRetry(resolved, factsOf(new PaymentDeclinedError('no')), 1)).toBe(false);
    expect(shouldRetry(resolved, factsOf(new Error('other')), 1)).toBe(true);
  });

  it('match a class across threads by its name when the instance is gone', () => {
    const resolved = policy({ retryOn: [NetworkError], dontRetryOn: [PaymentDeclinedError] });
    expect(shouldRetry(resolved, plainFactsOf(new NetworkError('n')), 1)).toBe(true);
    expect(shouldRetry(resolved, plainFactsOf(new PaymentDeclinedError('p')), 1)).toBe(false);
    expect(shouldRetry(resolved, plainFactsOf(new Error('plain')), 1)).toBe(false);
    expect(shouldRetry(resolved, { type: 'NetworkError', retryable: true }, 1)).toBe(true);
  });

  it('record a user error class by its class name even when it sets no name', () => {
    expect(toErrorRecord(new NetworkError('n')).type).toBe('NetworkError');
    expect(toErrorRecord(new SocketResetError('s')).type).toBe('SocketResetError');
    expect(toErrorRecord(new TypeError('t')).type).toBe('TypeError');
    expect(toErrorRecord(new Error('e')).type).toBe('Error');
    const renamed = Object.assign(new Error('x'), { name: 'CustomName' });
    expect(toErrorRecord(renamed).type).toBe('CustomName');
  });
});
