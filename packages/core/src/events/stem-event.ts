/**
 * Events workers and schedulers emit: heartbeats, progress and task lifecycle.
 * Plain data; the EventBus carries them to dashboards, the CLI and waiters.
 */
import type { JsonValue } from '../envelope/envelope';
import type { ErrorRecord } from '../errors/stem-error';
import type { TaskProgress } from '../result/result-record';

interface EventBase {
  /** Epoch ms at which the event was emitted. */
  at: number;
}

export interface WorkerHeartbeatEvent extends EventBase {
  type: 'worker.heartbeat';
  workerId: string;
  hostname: string;
  pid: number;
  queues: string[];
  /** Tasks running now. */
  active: number;
  /** Tasks completed since start. */
  processed: number;
  /** Expected ms until the next heartbeat; a worker silent for 3× this is considered gone. */
  intervalMs: number;
}

export interface TaskLifecycleEvent extends EventBase {
  type:
    | 'task.received'
    | 'task.started'
    | 'task.succeeded'
    | 'task.failed'
    | 'task.retried'
    | 'task.revoked'
    | 'task.expired'
    | 'task.dead-lettered';
  taskId: string;
  taskName: string;
  queue: string;
  attempt: number;
  workerId?: string;
  durationMs?: number;
  error?: ErrorRecord;
  /** Arguments with secret fields redacted; absent unless the emitter opted in. */
  args?: JsonValue;
}

export interface TaskProgressEvent extends EventBase {
  type: 'task.progress';
  taskId: string;
  taskName: string;
  progress: TaskProgress;
}

export interface TaskRevokeRequestEvent extends EventBase {
  type: 'task.revoke-requested';
  taskId: string;
  reason: string;
  /** Abort the task if it is running, not only skip it if it is not. */
  terminate: boolean;
}

export type StemEvent =
  | WorkerHeartbeatEvent
  | TaskLifecycleEvent
  | TaskProgressEvent
  | TaskRevokeRequestEvent;

export type StemEventType = StemEvent['type'];
