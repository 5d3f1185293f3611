import assert from 'node:assert/strict';
import { sleep } from '../conformance-case';
import { newScheduleEntry, type ScheduleStoreCase } from './schedule-store-case';

export const partialUpdateBumpsVersion: ScheduleStoreCase = {
  name: 'partial-update-bumps-version',
  promise: 'a partial update changes only the given fields and bumps version and updatedAt',
  async run(resources) {
    const store = await resources.open();
    const created = await store.create(newScheduleEntry('toggled', { nextRunAt: 5_000 }));
    await sleep(5);

    const disabled = await store.update('toggled', { enabled: false });
    assert.equal(disabled.version, 2);
    assert.equal(disabled.enabled, false);
    assert.equal(disabled.taskName, created.taskName, 'a partial update dropped other fields');
    assert.equal(disabled.queue, created.queue);
    assert.equal(disabled.nextRunAt, 5_000);
    assert.deepEqual(disabled.args, created.args);
    assert.deepEqual(disabled.spec, created.spec);
    assert.equal(disabled.createdAt, created.createdAt, 'createdAt moved on update');
    assert.ok(disabled.updatedAt > created.updatedAt, 'updatedAt did not move on update');

    const failed = await store.update('toggled', { lastError: 'boom', totalRunCount: 3 });
    assert.equal(failed.version, 3);
    assert.equal(failed.enabled, false);
    assert.deepEqual(await (await resources.open()).get('toggled'), failed);
  },
};
