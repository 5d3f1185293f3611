/**
 * The type of a schedule-store conformance case and the entries its cases create.
 */
import type { NewScheduleEntry, ScheduleStore } from '@stem/core';
import type { CaseResources, ConformanceCase } from '../conformance-case';

export type ScheduleStoreCase = ConformanceCase<CaseResources<ScheduleStore>>;

/** A valid new entry firing every minute; `overrides` replace any field. */
export function newScheduleEntry(
  id: string,
  overrides: Partial<NewScheduleEntry> = {},
): NewScheduleEntry {
  return {
    id,
    taskName: 'conformance.scheduled',
    queue: 'default',
    spec: { kind: 'interval', everyMs: 60_000 },
    args: { entry: id },
    enabled: true,
    timezone: 'UTC',
    jitterMs: 0,
    jitterMode: 'random',
    missedRunPolicy: { kind: 'latest' },
    overlapPolicy: 'allow',
    ...overrides,
  };
}
