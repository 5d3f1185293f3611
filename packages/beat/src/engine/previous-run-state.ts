/**
 * Whether an entry's previous fire still runs, for the skip and queue-one overlap
 * policies: the result backend's record of the last fired task id. No record means the
 * task is still queued (workers write the first record when they receive it) unless
 * the fire is older than `staleMs`, after which it is presumed lost or forgotten.
 */
import { isTerminalStatus, type ResultBackend, type ScheduleEntry } from '@stem/core';

export type PreviousRunState =
  | { kind: 'none' }
  | { kind: 'unknown' }
  | { kind: 'running' }
  | { kind: 'finished'; finishedAt?: number };

export async function previousRunState(
  entry: ScheduleEntry,
  resultBackend: ResultBackend | undefined,
  nowAt: number,
  staleMs: number,
): Promise<PreviousRunState> {
  if (entry.lastTaskId === undefined) return { kind: 'none' };
  if (resultBackend === undefined) return { kind: 'unknown' };
  const record = await resultBackend.get(entry.lastTaskId);
  if (record !== undefined && isTerminalStatus(record.status)) {
    return { kind: 'finished', finishedAt: record.meta.finishedAt ?? record.updatedAt };
  }
  const firedAt = entry.lastRunAt ?? 0;
  if (nowAt - firedAt > staleMs) return { kind: 'finished' };
  return { kind: 'running' };
}
