/**
 * Tasks of the cross-process worker tests. Each handler writes `started` to the ledger
 * when it begins and `done` when its work is complete, just before it returns: a crash
 * after `done` but before the ack must show up as a duplicate, never be hidden. Shared by
 * the worker-process fixture and the workers the tests run in their own process.
 */
import { defineTask, type TaskContext, type TaskDefinition } from '@stem/core';
import type { LedgerWriter } from '@stem/testing';

/** Arguments of `xproc.sleep`: how long the task works, ms. */
export interface SleepArgs {
  ms: number;
}

/** Arguments of `xproc.fail-until`: attempts below `succeedOnAttempt` throw. */
export interface FailUntilArgs {
  succeedOnAttempt: number;
}

export const SLEEP_TASK = 'xproc.sleep';
export const FAIL_UNTIL_TASK = 'xproc.fail-until';
/** Delay before each retry of `xproc.fail-until`, ms (no jitter, so tests can plan). */
export const FAIL_UNTIL_RETRY_DELAY_MS = 100;

/** The tasks, writing to `ledger`. */
export function createXprocTasks(ledger: LedgerWriter): TaskDefinition[] {
  const sleepTask = defineTask({
    name: SLEEP_TASK,
    async run(args: SleepArgs, context: TaskContext) {
      ledger.started(context.taskId, { attempt: context.attempt });
      await sleepUnlessAborted(args.ms, context.signal);
      ledger.done(context.taskId, { attempt: context.attempt });
      return { slept: args.ms, pid: process.pid };
    },
  });
  const failUntilTask = defineTask({
    name: FAIL_UNTIL_TASK,
    retry: { initialDelayMs: FAIL_UNTIL_RETRY_DELAY_MS, jitter: 'none' },
    async run(args: FailUntilArgs, context: TaskContext) {
      ledger.started(context.taskId, { attempt: context.attempt });
      if (context.attempt < args.succeedOnAttempt) {
        throw new Error(`planned failure on attempt ${context.attempt}`);
      }
      ledger.done(context.taskId, { attempt: context.attempt });
      return { attempt: context.attempt };
    },
  });
  return [sleepTask as TaskDefinition, failUntilTask as TaskDefinition];
}

/**
 * Waits `ms`, or rejects with the signal's reason once it aborts (shutdown past the
 * grace period): an interrupted task never writes `done`.
 */
function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
