/**
 * The envelope: Stem's versioned wire format for one task message. It is plain JSON
 * so any language can produce and consume it; docs/envelope.md is its specification.
 */

/** A JSON value: what task arguments, results and headers may hold. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The wire-format version this code writes. Decoders accept versions up to this one. */
export const ENVELOPE_VERSION = 1;

export interface Envelope {
  /** Wire-format version (currently 1). */
  v: number;
  /** Task id: unique per enqueue, kept across retries and redeliveries. */
  id: string;
  /** Registered task name, e.g. `email.send`. */
  task: string;
  /** The task's single input value. */
  args: JsonValue;
  /** Queue the message is routed to. */
  queue: string;
  /** 0 (lowest) to 9 (highest). @default 0 */
  priority: number;
  /** 1-based attempt number; a retry publishes attempt + 1. */
  attempt: number;
  /** Retries allowed after the first attempt (attempt may reach maxRetries + 1). */
  maxRetries: number;
  /** Epoch ms before which the message must not be delivered (ETA / countdown). */
  notBeforeAt?: number;
  /** Epoch ms after which the task is skipped and recorded as expired. */
  expiresAt?: number;
  /** Soft time limit in ms: the task's AbortSignal fires and it may clean up. */
  softTimeLimitMs?: number;
  /** Hard time limit in ms: the task is terminated. */
  hardTimeLimitMs?: number;
  /** Key under which the task's effect is performed at most once. */
  idempotencyKey?: string;
  /** Canvas: the task that spawned this one. */
  parentId?: string;
  /** Canvas: the first task of the whole workflow. */
  rootId?: string;
  /** Canvas: the group this task is a member of. */
  groupId?: string;
  /** Canvas: position of this task within its group. */
  groupIndex?: number;
  /** W3C trace context (`traceparent`, `tracestate`). */
  trace?: Record<string, string>;
  /** Epoch ms at which the task was first enqueued. */
  createdAt: number;
  /** Free-form string headers for middleware and users. */
  headers: Record<string, string>;
  /** Canvas links and options carried with the message (opaque to brokers). */
  meta?: JsonObject;
}
