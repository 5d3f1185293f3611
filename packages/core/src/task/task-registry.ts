/**
 * The task registry: name → definition, held in a Map so that a message naming
 * `__proto__` or `constructor` can never resolve to something that is not a task.
 */

import { closestMatch } from '../adapters/closest-match';
import { UnknownTaskError } from '../errors/errors';
import type { TaskDefinition } from './define-task';

export class TaskRegistry {
  readonly #tasks = new Map<string, TaskDefinition>();

  constructor(tasks: Iterable<TaskDefinition> = []) {
    for (const task of tasks) this.register(task);
  }

  /** Adds a task; registering a second, different task under the same name throws. */
  register(task: TaskDefinition): this {
    const existing = this.#tasks.get(task.name);
    if (existing !== undefined && existing !== task) {
      throw new TypeError(`a different task is already registered as "${task.name}"`);
    }
    this.#tasks.set(task.name, task);
    return this;
  }

  get(name: string): TaskDefinition | undefined {
    return this.#tasks.get(name);
  }

  /** The task named `name`, or UNKNOWN_TASK with the closest registered name as a hint. */
  resolve(name: string): TaskDefinition {
    const task = this.#tasks.get(name);
    if (task !== undefined) return task;
    throw new UnknownTaskError(name, closestMatch(name, [...this.#tasks.keys()]));
  }

  has(name: string): boolean {
    return this.#tasks.has(name);
  }

  names(): string[] {
    return [...this.#tasks.keys()].sort();
  }

  get size(): number {
    return this.#tasks.size;
  }
}
