/**
 * The group record: a terminal result record stored under the group's id once the group
 * is decided, so a waiting client is woken by the backend's notification like for any
 * task (no polling), and so are chained steps and nested canvases reading it.
 */
import type { ErrorRecord, JsonValue, ResultRecord } from '@stem/core';
import { type CanvasAdapters, DEFAULT_GROUP_TTL_MS } from './canvas-adapters';

export type GroupDecision =
  | { ok: true; value: JsonValue }
  | { ok: false; status: 'FAILURE' | 'REVOKED'; error: ErrorRecord; note?: string };

/** Writes the decided group's (or a skipped node's) terminal record under `id`. */
export async function writeGroupRecord(
  adapters: CanvasAdapters,
  id: string,
  decision: GroupDecision,
): Promise<void> {
  const now = Date.now();
  const record: ResultRecord = decision.ok
    ? { taskId: id, status: 'SUCCESS', payload: decision.value, meta: meta(now), updatedAt: now }
    : {
        taskId: id,
        status: decision.status,
        error: decision.error,
        meta: { ...meta(now), ...(decision.note === undefined ? {} : { note: decision.note }) },
        updatedAt: now,
      };
  await adapters.resultBackend.set(record, { ttlMs: adapters.groupTtlMs ?? DEFAULT_GROUP_TTL_MS });
}

function meta(now: number): ResultRecord['meta'] {
  return { taskName: 'stem.canvas', finishedAt: now };
}
