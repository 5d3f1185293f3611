/**
 * The type of a result-backend conformance case and the records its cases write.
 * A case gets the CaseResources of its namespace and opens as many backends (as
 * "processes") as it needs.
 */
import type { JsonValue, ResultBackend, ResultRecord, TaskStatus } from '@stem/core';
import type { CaseResources, ConformanceCase } from '../conformance-case';

export type ResultBackendCase = ConformanceCase<CaseResources<ResultBackend>>;

/** A plain record for `taskId` in `status`; SUCCESS carries `payload` (@default { ok: taskId }). */
export function resultRecord(
  taskId: string,
  status: TaskStatus,
  payload: JsonValue = { ok: taskId },
): ResultRecord {
  const record: ResultRecord = {
    taskId,
    status,
    meta: { taskName: 'conformance.task', attempt: 1 },
    updatedAt: Date.now(),
  };
  if (status === 'SUCCESS') record.payload = payload;
  if (status === 'FAILURE' || status === 'RETRY') {
    record.error = { type: 'Error', message: `failed ${taskId}`, retryable: false };
  }
  return record;
}
