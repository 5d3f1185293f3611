/** Every promise a LockStore makes, in the order the suite runs them. */
import { exclusive } from './exclusive';
import { fencingTokenIncreases } from './fencing-token-increases';
import type { LockStoreCase } from './lock-store-case';
import { staleRenewRefused } from './stale-renew-refused';

export const lockStoreConformanceCases: readonly LockStoreCase[] = [
  exclusive,
  fencingTokenIncreases,
  staleRenewRefused,
];
