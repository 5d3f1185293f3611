/**
 * Registers the schedule-store conformance suite under vitest. An adapter's
 * `test/conformance.test.ts` calls it once with a factory for fresh instances.
 */
import type { ScheduleStore } from '@stem/core';
import { describeCases } from '../conformance-case';
import { scheduleStoreConformanceCases } from './schedule-store-cases';

export interface ScheduleStoreConformanceOptions {
  /** Shown in the suite's title, e.g. `PostgresScheduleStore`. */
  name: string;
  /**
   * A new instance in `namespace`. Instances opened with the same namespace must share
   * data like two beat processes on one server; different namespaces must not.
   */
  open: (namespace: string) => ScheduleStore | Promise<ScheduleStore>;
}

export function describeScheduleStoreConformance(options: ScheduleStoreConformanceOptions): void {
  describeCases(
    `${options.name} schedule store conformance`,
    scheduleStoreConformanceCases,
    options.open,
    (resources) => resources,
  );
}
