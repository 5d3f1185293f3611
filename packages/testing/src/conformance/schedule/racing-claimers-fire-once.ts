import assert from 'node:assert/strict';
import type { ClaimOutcome } from '@stem/core';
import { newScheduleEntry, type ScheduleStoreCase } from './schedule-store-case';

const CLAIMERS = 20;
const SCHEDULED_AT = 1_700_000_060_000;

export const racingClaimersFireOnce: ScheduleStoreCase = {
  name: 'racing-claimers-fire-once',
  promise:
    'of many beats racing to claim one occurrence exactly one wins; the rest see who holds it',
  async run(resources) {
    const stores = [await resources.open(), await resources.open()];
    const entry = await stores[0]!.create(newScheduleEntry('racy', { nextRunAt: SCHEDULED_AT }));

    const outcomes: ClaimOutcome[] = await Promise.all(
      Array.from({ length: CLAIMERS }, (_, i) =>
        stores[i % 2]!.claimOccurrence({
          entryId: 'racy',
          scheduledAt: SCHEDULED_AT,
          claimant: `beat-${i}`,
          entryVersion: entry.version,
        }),
      ),
    );
    const winners = outcomes.filter((outcome) => outcome.claimed);
    assert.equal(winners.length, 1, `${winners.length} claimers won the same occurrence`);
    const winner = winners[0]!;
    assert.ok(winner.claimed);
    assert.equal(winner.claim.occurrenceId, `racy@${SCHEDULED_AT}`);
    assert.equal(winner.claim.scheduledAt, SCHEDULED_AT);
    for (const outcome of outcomes) {
      if (outcome.claimed) continue;
      assert.equal(outcome.reason, 'taken');
      assert.equal(outcome.heldBy, winner.claim.claimant, 'a loser was told the wrong holder');
    }

    const next = await stores[1]!.claimOccurrence({
      entryId: 'racy',
      scheduledAt: SCHEDULED_AT + 60_000,
      claimant: 'beat-0',
      entryVersion: entry.version,
    });
    assert.equal(next.claimed, true, 'a claim on one occurrence blocked the next one');
  },
};
