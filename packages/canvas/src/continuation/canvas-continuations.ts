/**
 * The worker side of the canvas: an after-task hook (pass it as the worker's
 * `afterTask` option) that runs the continuation frames a settled task carries. It runs
 * after the terminal result and before the ack, so a crash repeats it; every step is
 * idempotent or guarded (see docs/canvas.md, "Crash safety").
 */
import { type Envelope, type ErrorRecord, failpoint, type ResultRecord } from '@stem/core';
import { canvasMetaOf } from '../node/canvas-node';
import type { CanvasAdapters } from './canvas-adapters';
import { type NodeOutcome, resumeContinuation } from './resume-continuation';

/** What the worker hands the hook (structurally the worker's `SettledTask`). */
export interface SettledCanvasTask {
  envelope: Envelope;
  record: ResultRecord;
}

/** The hook; tasks without canvas meta pass through untouched. */
export function canvasContinuations(
  adapters: CanvasAdapters,
): (settled: SettledCanvasTask) => Promise<void> {
  return async ({ envelope, record }) => {
    const canvas = canvasMetaOf(envelope.meta);
    if (canvas === undefined || canvas.k.length === 0) return;
    await resumeContinuation(
      { adapters, root: canvas.root, parentId: envelope.id, guarded: canvas.guarded === true },
      canvas.k,
      outcomeOf(envelope, record),
      { taskId: envelope.id, record },
    );
    // Reliability tests crash here: everything is published, the task is not yet acked.
    await failpoint('canvas.after-continuations');
  };
}

function outcomeOf(envelope: Envelope, record: ResultRecord): NodeOutcome {
  if (record.status === 'SUCCESS') return { ok: true, value: record.payload ?? null };
  const error: ErrorRecord = record.error ?? {
    type: 'TaskRevokedError',
    code: 'TASK_REVOKED',
    message: `task ${envelope.id} was revoked: ${record.meta.note ?? 'revoked'}`,
    retryable: false,
  };
  const status = record.status === 'REVOKED' ? 'REVOKED' : 'FAILURE';
  return { ok: false, status, failure: { failedTaskId: envelope.id, error } };
}
