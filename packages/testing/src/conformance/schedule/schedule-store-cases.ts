/** Every promise a ScheduleStore makes, in the order the suite runs them. */
import { changeNotificationsReachOtherInstance } from './change-notifications-reach-other-instance';
import { claimWithStaleVersionRefused } from './claim-with-stale-version-refused';
import { createGetList } from './create-get-list';
import { dueReturnsOnlyDueEnabledInOrder } from './due-returns-only-due-enabled-in-order';
import { historyCappedNewestFirst } from './history-capped-newest-first';
import { partialUpdateBumpsVersion } from './partial-update-bumps-version';
import { racingClaimersFireOnce } from './racing-claimers-fire-once';
import { racingReapersTakeOverOnce } from './racing-reapers-take-over-once';
import type { ScheduleStoreCase } from './schedule-store-case';
import { staleVersionedUpdateRejected } from './stale-versioned-update-rejected';
import { unpublishedOccurrencesListedForReaper } from './unpublished-occurrences-listed-for-reaper';

export const scheduleStoreConformanceCases: readonly ScheduleStoreCase[] = [
  createGetList,
  staleVersionedUpdateRejected,
  partialUpdateBumpsVersion,
  dueReturnsOnlyDueEnabledInOrder,
  racingClaimersFireOnce,
  claimWithStaleVersionRefused,
  historyCappedNewestFirst,
  changeNotificationsReachOtherInstance,
  unpublishedOccurrencesListedForReaper,
  racingReapersTakeOverOnce,
];
