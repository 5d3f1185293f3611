import assert from 'node:assert/strict';
import type { ScheduleChange } from '@stem/core';
import { eventually, sleep } from '../conformance-case';
import { newScheduleEntry, type ScheduleStoreCase } from './schedule-store-case';

export const changeNotificationsReachOtherInstance: ScheduleStoreCase = {
  name: 'change-notifications-reach-other-instance',
  promise:
    'a watcher sees every create, update and delete made by another instance, until it stops',
  async run(resources) {
    const editor = await resources.open();
    const beat = await resources.open();
    const seen: ScheduleChange[] = [];
    const stop = await beat.watch((change) => seen.push(change));

    await editor.create(newScheduleEntry('watched'));
    await editor.update('watched', { enabled: false });
    await editor.delete('watched');
    const expected: ScheduleChange[] = [
      { type: 'created', entryId: 'watched', version: 1 },
      { type: 'updated', entryId: 'watched', version: 2 },
      { type: 'deleted', entryId: 'watched', version: 2 },
    ];
    await eventually('three change notifications', () => seen.length >= expected.length, 5_000);
    assert.deepEqual(seen, expected);

    await stop();
    await editor.create(newScheduleEntry('unwatched'));
    await sleep(300);
    assert.equal(seen.length, expected.length, 'a stopped watcher still got notifications');
  },
};
