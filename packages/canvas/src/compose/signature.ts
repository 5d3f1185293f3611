/**
 * Signatures: a task with (or, as a later chain step, without) its arguments and
 * envelope options, as a serialisable canvas node. The task's own options (queue,
 * retries, time limits) are captured now, because whoever publishes the step later (a
 * worker continuing a chain) does not hold the task definition.
 */
import type { JsonValue, TaskDefinition } from '@stem/core';
import type { SignatureOptions, TaskNode } from '../node/canvas-node';
import { Canvas } from './canvas';

/** A bound signature: `task` with `args`; as a chain step it ignores nothing, it takes nothing. */
export function signature<TArgs, TResult>(
  task: TaskDefinition<TArgs, TResult>,
  args: TArgs,
  options?: SignatureOptions,
): Canvas<never, TResult>;
/** An open signature: a chain step that takes the previous step's result as its args. */
export function signature<TArgs, TResult>(
  task: TaskDefinition<TArgs, TResult>,
): Canvas<TArgs, TResult>;
export function signature(
  task: TaskDefinition,
  ...rest: [args?: unknown, options?: SignatureOptions]
): Canvas<unknown, unknown> {
  const bound = rest.length > 0;
  const [args, options = {}] = rest;
  const node: TaskNode = {
    kind: 'task',
    id: '',
    task: task.name,
    bound,
    ...(bound ? { args: (args ?? null) as JsonValue } : {}),
    options: { ...taskDefaults(task), ...definedOnly(options) },
  };
  return new Canvas(node);
}

/** An open signature with options: `step(task, { queue: 'fast' })`. */
export function step<TArgs, TResult>(
  task: TaskDefinition<TArgs, TResult>,
  options: SignatureOptions = {},
): Canvas<TArgs, TResult> {
  const node: TaskNode = {
    kind: 'task',
    id: '',
    task: task.name,
    bound: false,
    options: { ...taskDefaults(task), ...definedOnly(options) },
  };
  return new Canvas(node);
}

function taskDefaults(task: TaskDefinition): SignatureOptions {
  const { options } = task;
  return definedOnly({
    queue: options.queue,
    priority: options.priority,
    maxRetries: options.retry?.maxRetries,
    softTimeLimitMs: options.softTimeLimitMs,
    hardTimeLimitMs: options.hardTimeLimitMs,
    expiresInMs: options.expiresInMs,
  });
}

/** Drops undefined entries: envelopes and result records carry no undefined. */
function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
