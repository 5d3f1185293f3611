/**
 * Runs a task's handler for one envelope: validates the arguments with the task's
 * schema, builds the TaskContext and calls the handler inside the execute middleware.
 * Shared by the inline pool (main thread) and the thread entry (worker threads), so a
 * task behaves the same in both.
 */
import {
  type Envelope,
  type Middleware,
  runExecuteMiddleware,
  type TaskContext,
  type TaskProgress,
  type TaskRegistry,
  validateTaskArguments,
} from '@stem/core';

export interface HandlerRun {
  registry: TaskRegistry;
  middleware: readonly Middleware[];
  envelope: Envelope;
  queue: string;
  /** Aborts the task's signal; the signal is only created if the task reads it. */
  controller: AbortController;
  onProgress(progress: TaskProgress): void;
}

export async function runTaskHandler(run: HandlerRun): Promise<unknown> {
  const { envelope } = run;
  const task = run.registry.resolve(envelope.task);
  // Without a schema there is nothing to wait for (an await per task adds up).
  const value =
    task.schema === undefined
      ? envelope.args
      : (await validateTaskArguments(task, envelope.args)).value;
  const { controller } = run;
  const context: TaskContext = {
    taskId: envelope.id,
    taskName: envelope.task,
    queue: run.queue,
    attempt: envelope.attempt,
    // A getter: most tasks never look at their signal, and creating one costs more than
    // the rest of a no-op task's context.
    get signal() {
      return controller.signal;
    },
    headers: envelope.headers,
    envelope,
    reportProgress: async (progress) => {
      run.onProgress({ ...progress, reportedAt: Date.now() });
    },
  };
  if (run.middleware.length === 0) return task.handler(value as never, context);
  return runExecuteMiddleware(run.middleware, { task, args: value, context }, async () =>
    task.handler(value as never, context),
  );
}
