/**
 * Messages between the main thread and a worker thread. Plain data only: the task's
 * envelope in, its outcome and progress out.
 */
import type { Envelope, ErrorRecord, TaskProgress } from '@stem/core';

export interface ThreadData {
  /** The app module's URL. */
  appModule: string;
  /** Register tsx before loading a TypeScript app module. */
  loadTypeScript: boolean;
}

export type MainToThread =
  | { type: 'run'; jobId: string; envelope: Envelope; queue: string }
  | { type: 'abort'; jobId: string; reason: ErrorRecord };

export type ThreadToMain =
  | { type: 'ready'; taskNames: string[] }
  | { type: 'progress'; jobId: string; progress: TaskProgress }
  | {
      type: 'done';
      jobId: string;
      outcome: { ok: true; value: unknown } | { ok: false; error: ErrorRecord };
      /** This thread's V8 heap in use after the task, for recycling. */
      heapUsedBytes: number;
    };
