import assert from 'node:assert/strict';
import { newScheduleEntry, type ScheduleStoreCase } from './schedule-store-case';

const FIRST_AT = 1_700_000_000_000;
const SECOND_AT = FIRST_AT + 60_000;

export const unpublishedOccurrencesListedForReaper: ScheduleStoreCase = {
  name: 'unpublished-occurrences-listed-for-reaper',
  promise: 'claims never marked published are listed for the reaper; published ones are not',
  async run(resources) {
    const beat = await resources.open();
    const reaper = await resources.open();
    const entry = await beat.create(newScheduleEntry('reaped'));
    const claim = async (scheduledAt: number) => {
      const outcome = await beat.claimOccurrence({
        entryId: 'reaped',
        scheduledAt,
        claimant: 'crashed-beat',
        entryVersion: entry.version,
      });
      assert.ok(outcome.claimed, `could not claim ${scheduledAt}`);
      return outcome.claim;
    };
    const published = await claim(FIRST_AT);
    const orphan = await claim(SECOND_AT);
    await beat.markOccurrencePublished(published.occurrenceId, 'task-first');

    const listed = await reaper.listUnpublishedOccurrences(Date.now() + 1_000);
    assert.deepEqual(
      listed.map((item) => [item.occurrenceId, item.claimant, item.publishedAt]),
      [[orphan.occurrenceId, 'crashed-beat', undefined]],
      'the reaper list is wrong',
    );
    assert.deepEqual(await reaper.listUnpublishedOccurrences(orphan.claimedAt - 1_000), []);

    await reaper.markOccurrencePublished(orphan.occurrenceId, 'task-second');
    assert.deepEqual(await beat.listUnpublishedOccurrences(Date.now() + 1_000), []);
  },
};
