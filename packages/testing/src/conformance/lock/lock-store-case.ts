/** The type of a lock-store conformance case. */
import type { LockStore } from '@stem/core';
import type { CaseResources, ConformanceCase } from '../conformance-case';

export type LockStoreCase = ConformanceCase<CaseResources<LockStore>>;
