/**
 * `chunks(task, argsList, n)`: the argument sets split into chunks of `n`, each chunk one
 * message that runs the task over its items in turn. Workers must register
 * `chunkTask(task)` (named `<task>.chunk`) next to the task itself.
 */
import {
  defineTask,
  type TaskContext,
  type TaskDefinition,
  type TaskOptions,
  validateTaskArguments,
} from '@stem/core';
import type { FailureStrategy, MemberOutcome } from '../node/canvas-node';
import type { Canvas } from './canvas';
import { group, type MapOptions } from './group';
import { signature } from './signature';

/** The companion task that runs `task` over an array of argument sets, in order. */
export function chunkTask<TArgs, TResult>(
  task: TaskDefinition<TArgs, TResult>,
): TaskDefinition<TArgs[], TResult[]> {
  const handler = task.handler as unknown as (args: unknown, context: TaskContext) => unknown;
  return defineTask({
    name: chunkTaskName(task.name),
    ...inheritedOptions(task),
    run: async (items: TArgs[], context: TaskContext): Promise<TResult[]> => {
      const results: TResult[] = [];
      for (const item of items) {
        const parsed = await validateTaskArguments(task as TaskDefinition, item);
        results.push((await handler(parsed.value, context)) as TResult);
      }
      return results;
    },
  }) as TaskDefinition<TArgs[], TResult[]>;
}

/** The name `chunkTask` registers for a task named `taskName`. */
export function chunkTaskName(taskName: string): string {
  return `${taskName}.chunk`;
}

/** A group of ceil(len / n) chunk messages; its result is one array of results per chunk. */
export function chunks<TArgs, TResult, S extends FailureStrategy = 'fail-fast'>(
  task: TaskDefinition<TArgs, TResult>,
  argsList: readonly TArgs[],
  size: number,
  options: MapOptions<S> = {},
): Canvas<never, Array<S extends 'continue' ? MemberOutcome<TResult[]> : TResult[]>> {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  }
  const companion = chunkTask(task);
  const members = [];
  for (let start = 0; start < argsList.length; start += size) {
    members.push(signature(companion, argsList.slice(start, start + size), options.signature));
  }
  return group(members, options) as unknown as Canvas<
    never,
    Array<S extends 'continue' ? MemberOutcome<TResult[]> : TResult[]>
  >;
}

/** The options a chunk shares with its task: it runs where the task runs, as long. */
function inheritedOptions<TArgs>(task: TaskDefinition<TArgs, unknown>): TaskOptions<TArgs[]> {
  const { queue, priority, retry, softTimeLimitMs, hardTimeLimitMs } = task.options;
  return {
    ...(queue === undefined ? {} : { queue }),
    ...(priority === undefined ? {} : { priority }),
    ...(retry === undefined ? {} : { retry }),
    ...(softTimeLimitMs === undefined ? {} : { softTimeLimitMs }),
    ...(hardTimeLimitMs === undefined ? {} : { hardTimeLimitMs }),
  };
}
