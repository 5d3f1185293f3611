import assert from 'node:assert/strict';
import type { ScheduleRun } from '@stem/core';
import { newScheduleEntry, type ScheduleStoreCase } from './schedule-store-case';

const MAX_HISTORY = 5;

function run(entryId: string, scheduledAt: number): ScheduleRun {
  return {
    entryId,
    scheduledAt,
    firedAt: scheduledAt + 3,
    status: 'fired',
    taskId: `t-${scheduledAt}`,
  };
}

export const historyCappedNewestFirst: ScheduleStoreCase = {
  name: 'history-capped-newest-first',
  promise:
    'run history keeps only the newest maxHistory runs, lists newest first, and is deleted with its entry',
  async run(resources) {
    const stores = [await resources.open(), await resources.open()];
    await stores[0]!.create(newScheduleEntry('audited'));
    for (let scheduledAt = 1; scheduledAt <= 8; scheduledAt += 1) {
      await stores[scheduledAt % 2]!.appendRun(run('audited', scheduledAt), MAX_HISTORY);
    }
    const times = async (limit: number) =>
      (await stores[1]!.listRuns('audited', limit)).map((listed) => listed.scheduledAt);

    assert.deepEqual(await times(10), [8, 7, 6, 5, 4], 'history is not capped to the newest runs');
    assert.deepEqual(await times(2), [8, 7]);
    assert.deepEqual((await stores[0]!.listRuns('audited', 1))[0], run('audited', 8));

    await stores[0]!.claimOccurrence({
      entryId: 'audited',
      scheduledAt: 8,
      claimant: 'b',
      entryVersion: 1,
    });
    await stores[0]!.delete('audited');
    await stores[0]!.create(newScheduleEntry('audited'));
    assert.deepEqual(await times(10), [], 'history outlived its deleted entry');
    const reclaimed = await stores[1]!.claimOccurrence({
      entryId: 'audited',
      scheduledAt: 8,
      claimant: 'b',
      entryVersion: 1,
    });
    assert.equal(reclaimed.claimed, true, 'claims outlived their deleted entry');
  },
};
