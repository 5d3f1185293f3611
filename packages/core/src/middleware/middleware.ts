/**
 * Middleware: hooks around publishing (producer side) and executing (worker side),
 * composed as an onion: the first middleware listed is the outermost.
 */
import type { Envelope } from '../envelope/envelope';
import type { TaskContext, TaskDefinition } from '../task/define-task';

/** May change the envelope (headers, trace context) before passing it on, or refuse it by throwing. */
export type PublishMiddleware = (
  envelope: Envelope,
  next: (envelope: Envelope) => Promise<void>,
) => Promise<void>;

export interface ExecuteContext {
  task: TaskDefinition;
  args: unknown;
  context: TaskContext;
}

/** Wraps a task's execution; resolves to (or replaces) the task's result. */
export type ExecuteMiddleware = (
  execution: ExecuteContext,
  next: () => Promise<unknown>,
) => Promise<unknown>;

export interface Middleware {
  /** Shown in errors and logs. */
  name: string;
  publish?: PublishMiddleware;
  execute?: ExecuteMiddleware;
}

/** Runs `envelope` through every publish hook, then `send`. */
export function runPublishMiddleware(
  middleware: readonly Middleware[],
  envelope: Envelope,
  send: (envelope: Envelope) => Promise<void>,
): Promise<void> {
  const hooks = middleware.flatMap((entry) => (entry.publish === undefined ? [] : [entry.publish]));
  const dispatch = (index: number, current: Envelope): Promise<void> => {
    const hook = hooks[index];
    if (hook === undefined) return send(current);
    return hook(current, (next) => dispatch(index + 1, next));
  };
  return dispatch(0, envelope);
}

/** Runs the execute hooks around `run`. Calling `next` twice in one hook is an error. */
export function runExecuteMiddleware(
  middleware: readonly Middleware[],
  execution: ExecuteContext,
  run: () => Promise<unknown>,
): Promise<unknown> {
  const hooks = middleware.flatMap((entry) =>
    entry.execute === undefined ? [] : [{ name: entry.name, hook: entry.execute }],
  );
  const dispatch = (index: number): Promise<unknown> => {
    const entry = hooks[index];
    if (entry === undefined) return run();
    let called = false;
    return entry.hook(execution, () => {
      if (called)
        return Promise.reject(new Error(`middleware "${entry.name}" called next() twice`));
      called = true;
      return dispatch(index + 1);
    });
  };
  return dispatch(0);
}
