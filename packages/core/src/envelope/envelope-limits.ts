/**
 * Size and nesting limits a codec enforces. A broker may lower `maxBytes` to its own
 * maximum (SQS: 1 MiB); nothing larger than the limit is ever parsed.
 */

export interface EnvelopeLimits {
  /** Largest encoded envelope, in UTF-8 bytes. @default 1_048_576 (1 MiB) */
  maxBytes: number;
  /**
   * Deepest nesting of arrays and objects inside `args` and inside `meta`, in levels
   * (`args: []` is 1, `args: [[1]]` is 2, a scalar is 0). @default 32
   */
  maxDepth: number;
}

/** The limits used where none are given. Frozen. */
export const DEFAULT_ENVELOPE_LIMITS: Readonly<EnvelopeLimits> = Object.freeze({
  maxBytes: 1_048_576,
  maxDepth: 32,
});

/**
 * Fills in defaults for omitted (or undefined) limits. A limit that is not a positive
 * safe integer is a programming error and throws a RangeError.
 */
export function resolveEnvelopeLimits(limits: Partial<EnvelopeLimits> = {}): EnvelopeLimits {
  // Runs for every envelope a worker decodes: no allocation when nothing is overridden.
  if (limits.maxBytes === undefined && limits.maxDepth === undefined) {
    return DEFAULT_ENVELOPE_LIMITS;
  }
  const maxBytes = limits.maxBytes ?? DEFAULT_ENVELOPE_LIMITS.maxBytes;
  const maxDepth = limits.maxDepth ?? DEFAULT_ENVELOPE_LIMITS.maxDepth;
  checkLimit('maxBytes', maxBytes);
  checkLimit('maxDepth', maxDepth);
  return { maxBytes, maxDepth };
}

function checkLimit(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`envelope limit ${name} must be a positive integer, got ${value}`);
  }
}
