/**
 * Builds a new envelope for a producer: fills in the defaults (fresh id, queue, attempt
 * 1…), stamps the current version and validates the result, so a bad argument is
 * refused at enqueue time rather than by the worker that receives it.
 */
import { randomUUID } from 'node:crypto';
import { ENVELOPE_VERSION, type Envelope, type JsonObject, type JsonValue } from './envelope';
import type { EnvelopeLimits } from './envelope-limits';
import { validateEnvelope } from './validate-envelope';

/** What a producer supplies; every field but `task` and `args` has a default. */
export interface CreateEnvelopeInput {
  /** Registered task name, e.g. `email.send`. */
  task: string;
  /** The task's single input; must be strict JSON (no undefined, Date, Map, NaN…). */
  args: JsonValue;
  /** @default 'default' */
  queue?: string;
  /** Task id. @default a random UUID */
  id?: string;
  /** 0 (lowest) to 9 (highest). @default 0 */
  priority?: number;
  /** 1-based attempt number. @default 1 */
  attempt?: number;
  /** Retries allowed after the first attempt. @default 3 */
  maxRetries?: number;
  /** Epoch ms before which the task must not run. @default none (run now) */
  notBeforeAt?: number;
  /** Epoch ms after which the task is skipped as expired. @default none */
  expiresAt?: number;
  /** Soft time limit, ms. @default none */
  softTimeLimitMs?: number;
  /** Hard time limit, ms. @default none */
  hardTimeLimitMs?: number;
  /** @default none */
  idempotencyKey?: string;
  /** @default none */
  parentId?: string;
  /** @default none */
  rootId?: string;
  /** @default none */
  groupId?: string;
  /** @default none */
  groupIndex?: number;
  /** W3C trace context. @default none */
  trace?: Record<string, string>;
  /** @default {} */
  headers?: Record<string, string>;
  /** @default none */
  meta?: JsonObject;
  /** Epoch ms of the first enqueue. @default Date.now() */
  createdAt?: number;
}

/**
 * A validated envelope at the current version. Optional fields left undefined are
 * omitted, so the envelope survives an encode/decode round trip unchanged; `args`,
 * `headers` and the rest are copied, so later changes to the input do not leak in.
 * Throws EnvelopeInvalidError naming the bad field (unknown input keys included).
 * @param limits nesting limit for `args` and `meta`; @default DEFAULT_ENVELOPE_LIMITS
 */
export function createEnvelope(
  input: CreateEnvelopeInput,
  limits?: Partial<EnvelopeLimits>,
): Envelope {
  return validateEnvelope(
    {
      ...input,
      v: ENVELOPE_VERSION,
      id: input.id ?? randomUUID(),
      queue: input.queue ?? 'default',
      priority: input.priority ?? 0,
      attempt: input.attempt ?? 1,
      maxRetries: input.maxRetries ?? 3,
      createdAt: input.createdAt ?? Date.now(),
      headers: input.headers ?? {},
    },
    limits,
  );
}
