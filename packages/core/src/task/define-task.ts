/**
 * Typed task definitions. `defineTask` ties a name to a handler; the handler's
 * argument and result types travel with the definition, so `stem.enqueue(task, args)`
 * checks `args` at compile time and `await result.get()` has the handler's result type.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Envelope, JsonValue } from '../envelope/envelope';
import type { RateLimit } from '../rate-limit/rate-limiter';
import type { TaskProgress } from '../result/result-record';
import type { RetryPolicyOptions } from './retry-policy';

/** What a running task can see and do. */
export interface TaskContext {
  taskId: string;
  taskName: string;
  queue: string;
  /** 1-based attempt number. */
  attempt: number;
  /**
   * Aborted when the soft time limit passes, the task is revoked, or the worker shuts
   * down past its grace period. `signal.reason` says which.
   */
  signal: AbortSignal;
  headers: Readonly<Record<string, string>>;
  envelope: Readonly<Envelope>;
  /** Records progress in the result backend and emits a progress event. */
  reportProgress(progress: Omit<TaskProgress, 'reportedAt'>): Promise<void>;
}

export interface TaskRateLimit<TArgs> extends RateLimit {
  /** Picks the tenant whose bucket the call draws from (one bucket per task otherwise). */
  tenant?(args: TArgs): string;
}

/** Per-task options, all optional. */
export interface TaskOptions<TArgs> {
  /** Queue the task is published to. @default 'default' */
  queue?: string;
  /** 0 (lowest) to 9 (highest). @default 0 */
  priority?: number;
  retry?: RetryPolicyOptions;
  /** Soft time limit in ms (signal aborted, catchable). @default none */
  softTimeLimitMs?: number;
  /** Hard time limit in ms (task terminated). @default none */
  hardTimeLimitMs?: number;
  rateLimit?: TaskRateLimit<TArgs>;
  /** Derives the idempotency key from the arguments. */
  idempotencyKey?(args: TArgs): string;
  /** Time after enqueue past which the task is skipped, ms. @default none */
  expiresInMs?: number;
  /** Top-level argument fields redacted in events, logs and errors. */
  secretArgs?: readonly string[];
}

export type TaskHandler<TArgs, TResult> = (
  args: TArgs,
  context: TaskContext,
) => Promise<TResult> | TResult;

/** A defined task. `TArgs` is what enqueue takes; `TResult` what the result resolves to. */
export interface TaskDefinition<TArgs = unknown, TResult = unknown> {
  readonly name: string;
  readonly options: Readonly<TaskOptions<TArgs>>;
  /** Validates (and may transform) the arguments before the handler sees them. */
  readonly schema: StandardSchemaV1 | undefined;
  readonly handler: TaskHandler<never, TResult>;
  /** Type-only marker; never set at run time. */
  readonly __types?: { args: TArgs; result: TResult };
}

export type TaskArgs<T> = T extends TaskDefinition<infer A, unknown> ? A : never;
// Both parameters are inferred: a concrete TArgs is not assignable to `never`, so
// matching against TaskDefinition<never, …> made this `never` for every task.
export type TaskResultOf<T> = T extends TaskDefinition<infer _A, infer R> ? R : never;

interface TaskConfigBase<TArgs> extends TaskOptions<TArgs> {
  /** Unique, dotted by convention (`email.send`). */
  name: string;
}

export interface TaskConfigWithSchema<TSchema extends StandardSchemaV1, TResult>
  extends TaskConfigBase<StandardSchemaV1.InferInput<TSchema>> {
  schema: TSchema;
  run: TaskHandler<StandardSchemaV1.InferOutput<TSchema>, TResult>;
}

export interface TaskConfig<TArgs, TResult> extends TaskConfigBase<TArgs> {
  schema?: undefined;
  run: TaskHandler<TArgs, TResult>;
}

/** What a task name may look like; the envelope codec checks the same pattern. */
export const TASK_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,199}$/;

/** Defines a task whose arguments are validated by a Standard Schema (zod, valibot, arktype…). */
export function defineTask<TSchema extends StandardSchemaV1, TResult>(
  config: TaskConfigWithSchema<TSchema, TResult>,
): TaskDefinition<StandardSchemaV1.InferInput<TSchema>, Awaited<TResult>>;
/** Defines a task whose argument type comes from the handler's parameter. */
export function defineTask<TArgs, TResult>(
  config: TaskConfig<TArgs, TResult>,
): TaskDefinition<TArgs, Awaited<TResult>>;
export function defineTask(
  config: TaskConfig<unknown, unknown> | TaskConfigWithSchema<StandardSchemaV1, unknown>,
): TaskDefinition<unknown, unknown> {
  const { name, schema, run, ...options } = config;
  if (typeof name !== 'string' || !TASK_NAME_PATTERN.test(name)) {
    throw new TypeError(
      `task name ${JSON.stringify(name)} is invalid: use 1-200 letters, digits, "_", ".", ":" or "-"`,
    );
  }
  if (typeof run !== 'function') throw new TypeError(`task "${name}" needs a run function`);
  return Object.freeze({
    name,
    options: Object.freeze(options),
    schema,
    handler: run as TaskHandler<never, unknown>,
  });
}

/** Arguments with the task's secret fields replaced by `[redacted]`, for events and logs. */
export function redactArgs(args: JsonValue, secretArgs: readonly string[] | undefined): JsonValue {
  if (secretArgs === undefined || secretArgs.length === 0) return args;
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return args;
  const copy: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(args)) {
    copy[key] = secretArgs.includes(key) ? '[redacted]' : value;
  }
  return copy;
}
