import assert from 'node:assert/strict';
import type { TakeOverOutcome } from '@stem/core';
import { sleep } from '../conformance-case';
import { newScheduleEntry, type ScheduleStoreCase } from './schedule-store-case';

const REAPERS = 12;
const SCHEDULED_AT = 1_700_000_120_000;
const MIN_AGE_MS = 150;

export const racingReapersTakeOverOnce: ScheduleStoreCase = {
  name: 'racing-reapers-take-over-once',
  promise:
    'of many reapers racing for one old unpublished claim exactly one takes it over; fresh and published claims are refused',
  async run(resources) {
    const stores = [await resources.open(), await resources.open()];
    const entry = await stores[0]!.create(newScheduleEntry('reaped-once'));
    const outcome = await stores[0]!.claimOccurrence({
      entryId: 'reaped-once',
      scheduledAt: SCHEDULED_AT,
      claimant: 'dead-beat',
      entryVersion: entry.version,
    });
    assert.ok(outcome.claimed);
    const { occurrenceId } = outcome.claim;
    const early = await stores[1]!.takeOverOccurrence({
      occurrenceId,
      claimant: 'too-early',
      minAgeMs: 60_000,
    });
    assert.deepEqual(early, { takenOver: false, reason: 'fresh' }, 'a fresh claim was taken over');

    await sleep(MIN_AGE_MS + 50);
    const outcomes: TakeOverOutcome[] = await Promise.all(
      Array.from({ length: REAPERS }, (_, i) =>
        stores[i % 2]!.takeOverOccurrence({
          occurrenceId,
          claimant: `reaper-${i}`,
          minAgeMs: MIN_AGE_MS,
        }),
      ),
    );
    const winners = outcomes.filter((item) => item.takenOver);
    assert.equal(winners.length, 1, `${winners.length} reapers took over the same claim`);
    const winner = winners[0]!;
    assert.ok(winner.takenOver);
    assert.equal(winner.previousClaimant, 'dead-beat');
    assert.equal(winner.claim.occurrenceId, occurrenceId);
    assert.equal(winner.claim.scheduledAt, SCHEDULED_AT);
    assert.ok(winner.claim.claimedAt >= outcome.claim.claimedAt + MIN_AGE_MS, 'not restamped');
    for (const item of outcomes) {
      if (!item.takenOver) assert.equal(item.reason, 'fresh');
    }
    const listed = await stores[1]!.listUnpublishedOccurrences(Date.now() + 1_000);
    assert.deepEqual(
      listed.map((claim) => [claim.occurrenceId, claim.claimant]),
      [[occurrenceId, winner.claim.claimant]],
      'the reaper list does not show the new claimant',
    );

    await stores[0]!.markOccurrencePublished(occurrenceId, 'task-reaped');
    await sleep(MIN_AGE_MS + 50);
    const late = await stores[1]!.takeOverOccurrence({
      occurrenceId,
      claimant: 'late',
      minAgeMs: 0,
    });
    assert.deepEqual(late, { takenOver: false, reason: 'published' });
    const missing = await stores[1]!.takeOverOccurrence({
      occurrenceId: 'reaped-once@1',
      claimant: 'late',
      minAgeMs: 0,
    });
    assert.deepEqual(missing, { takenOver: false, reason: 'missing' });
  },
};
