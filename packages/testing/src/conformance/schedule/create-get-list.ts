import assert from 'node:assert/strict';
import { hasErrorCode } from '@stem/core';
import { newScheduleEntry, type ScheduleStoreCase } from './schedule-store-case';

export const createGetList: ScheduleStoreCase = {
  name: 'create-get-list',
  promise:
    'created entries start at version 1, read back from any instance, and list by ascending id with cursor, limit and enabled filter',
  async run(resources) {
    const store = await resources.open();
    const other = await resources.open();
    const before = Date.now();
    for (const id of ['e-3', 'e-1', 'e-5', 'e-2', 'e-4']) {
      await store.create(newScheduleEntry(id, { enabled: id !== 'e-2' && id !== 'e-4' }));
    }

    const entry = await other.get('e-3');
    assert.ok(entry !== undefined, 'another instance cannot see a created entry');
    assert.equal(entry.version, 1);
    assert.equal(entry.totalRunCount, 0);
    assert.deepEqual(entry.args, { entry: 'e-3' });
    assert.deepEqual(entry.spec, { kind: 'interval', everyMs: 60_000 });
    assert.ok(entry.createdAt >= before && entry.updatedAt === entry.createdAt);
    assert.equal(await other.get('e-9'), undefined);
    await assert.rejects(other.create(newScheduleEntry('e-1')), (error) =>
      hasErrorCode(error, 'ALREADY_EXISTS'),
    );

    const ids = async (query?: Parameters<typeof store.list>[0]) =>
      (await other.list(query)).map((listed) => listed.id);
    assert.deepEqual(await ids(), ['e-1', 'e-2', 'e-3', 'e-4', 'e-5']);
    assert.deepEqual(await ids({ limit: 2 }), ['e-1', 'e-2']);
    assert.deepEqual(await ids({ after: 'e-2', limit: 2 }), ['e-3', 'e-4']);
    assert.deepEqual(await ids({ after: 'e-5' }), []);
    assert.deepEqual(await ids({ enabled: false }), ['e-2', 'e-4']);
    assert.deepEqual(await ids({ enabled: true, after: 'e-1' }), ['e-3', 'e-5']);
  },
};
