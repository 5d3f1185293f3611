/**
 * Soft and hard time-limit timers for one job, shared by both pools: the soft limit
 * aborts the task's signal, the hard limit calls `onHardLimit` (which terminates the
 * thread in the thread pool, or abandons the task in the inline pool).
 */
import { SoftTimeLimitExceededError, TimeLimitExceededError } from '@stem/core';
import type { PoolJob } from './task-pool';

export interface TimeLimitHandlers {
  onSoftLimit(reason: SoftTimeLimitExceededError): void;
  onHardLimit(reason: TimeLimitExceededError): void;
}

/** Starts the timers; the returned function clears them. */
export function startTimeLimits(job: PoolJob, handlers: TimeLimitHandlers): () => void {
  if (job.softTimeLimitMs === undefined && job.hardTimeLimitMs === undefined) return noTimers;
  const timers: NodeJS.Timeout[] = [];
  const taskId = job.envelope.id;
  if (job.softTimeLimitMs !== undefined) {
    const limitMs = job.softTimeLimitMs;
    timers.push(
      setTimeout(
        () => handlers.onSoftLimit(new SoftTimeLimitExceededError(taskId, limitMs)),
        limitMs,
      ),
    );
  }
  if (job.hardTimeLimitMs !== undefined) {
    const limitMs = job.hardTimeLimitMs;
    timers.push(
      setTimeout(() => handlers.onHardLimit(new TimeLimitExceededError(taskId, limitMs)), limitMs),
    );
  }
  return () => {
    for (const timer of timers) clearTimeout(timer);
  };
}

function noTimers(): void {}
