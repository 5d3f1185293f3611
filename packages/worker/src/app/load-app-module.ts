/**
 * Loads the user's app module: the module that defines the tasks. Every exported
 * task definition (or array of them) is registered; an exported `middleware` array
 * becomes the execute middleware. Both the main thread and each worker thread load
 * it, so handlers and options are the same everywhere.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Middleware, type TaskDefinition, TaskRegistry } from '@stem/core';

export interface LoadedApp {
  registry: TaskRegistry;
  middleware: readonly Middleware[];
}

/** A file path (relative to the working directory) or a file: URL, as a URL string. */
export function resolveAppModule(specifier: string | URL): string {
  if (specifier instanceof URL) return specifier.href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(specifier) && !/^[a-z]:[\\/]/i.test(specifier)) return specifier;
  return pathToFileURL(isAbsolute(specifier) ? specifier : resolve(specifier)).href;
}

export async function loadAppModule(specifier: string | URL): Promise<LoadedApp> {
  const href = resolveAppModule(specifier);
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(href)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`could not load the app module ${href}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const tasks = new Set<TaskDefinition>();
  for (const value of Object.values(loaded)) {
    for (const candidate of Array.isArray(value) ? value : [value]) {
      if (isTaskDefinition(candidate)) tasks.add(candidate);
    }
  }
  if (tasks.size === 0) {
    throw new Error(`the app module ${href} exports no task defined with defineTask()`);
  }
  const middleware = Array.isArray(loaded.middleware) ? (loaded.middleware as Middleware[]) : [];
  return { registry: new TaskRegistry(tasks), middleware };
}

export function isTaskDefinition(value: unknown): value is TaskDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<TaskDefinition>;
  return (
    typeof candidate.name === 'string' &&
    typeof candidate.handler === 'function' &&
    typeof candidate.options === 'object'
  );
}
