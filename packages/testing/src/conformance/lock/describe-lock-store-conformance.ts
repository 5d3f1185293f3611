/**
 * Registers the lock-store conformance suite under vitest. An adapter's
 * `test/conformance.test.ts` calls it once with a factory for fresh instances.
 */
import type { LockStore } from '@stem/core';
import { describeCases } from '../conformance-case';
import { lockStoreConformanceCases } from './lock-store-cases';

export interface LockStoreConformanceOptions {
  /** Shown in the suite's title, e.g. `RedisLockStore`. */
  name: string;
  /**
   * A new instance in `namespace`. Instances opened with the same namespace must share
   * locks like two processes on one server; different namespaces must not.
   */
  open: (namespace: string) => LockStore | Promise<LockStore>;
}

export function describeLockStoreConformance(options: LockStoreConformanceOptions): void {
  describeCases(
    `${options.name} lock store conformance`,
    lockStoreConformanceCases,
    options.open,
    (resources) => resources,
  );
}
