/**
 * Argument validation through the task's Standard Schema (zod, valibot, arktype…).
 * Producers validate before publishing so bad input never reaches a queue; workers
 * validate again because a message may come from anywhere.
 */
import { ArgumentsInvalidError } from '../errors/errors';
import type { TaskDefinition } from './define-task';

export interface ParsedArguments {
  /** The arguments after the schema's transforms (the input itself without a schema). */
  value: unknown;
}

export async function validateTaskArguments(
  task: TaskDefinition,
  args: unknown,
): Promise<ParsedArguments> {
  if (task.schema === undefined) return { value: args };
  const result = await task.schema['~standard'].validate(args);
  if (result.issues === undefined) return { value: result.value };
  const issues = result.issues.map((issue) => {
    const path = (issue.path ?? [])
      .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
      .join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  throw new ArgumentsInvalidError(task.name, issues);
}
