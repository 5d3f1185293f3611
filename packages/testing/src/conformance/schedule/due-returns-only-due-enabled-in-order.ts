import assert from 'node:assert/strict';
import { newScheduleEntry, type ScheduleStoreCase } from './schedule-store-case';

const NOW_AT = 1_700_000_000_000;

export const dueReturnsOnlyDueEnabledInOrder: ScheduleStoreCase = {
  name: 'due-returns-only-due-enabled-in-order',
  promise:
    'due lists enabled entries with nextRunAt at or before now, earliest first, and follows updates and deletes',
  async run(resources) {
    const store = await resources.open();
    const beat = await resources.open();
    await store.create(newScheduleEntry('a', { nextRunAt: NOW_AT - 10 }));
    await store.create(newScheduleEntry('b', { nextRunAt: NOW_AT - 30 }));
    await store.create(newScheduleEntry('c', { nextRunAt: NOW_AT }));
    await store.create(newScheduleEntry('d', { nextRunAt: NOW_AT + 1 }));
    await store.create(newScheduleEntry('e', { nextRunAt: NOW_AT - 50, enabled: false }));
    await store.create(newScheduleEntry('f'));

    const dueIds = async (limit = 10) => (await beat.due(NOW_AT, limit)).map((entry) => entry.id);
    assert.deepEqual(await dueIds(), ['b', 'a', 'c']);
    assert.deepEqual(await dueIds(2), ['b', 'a']);

    await store.update('a', { nextRunAt: NOW_AT + 100 });
    assert.deepEqual(await dueIds(), ['b', 'c'], 'due did not follow a moved nextRunAt');
    await store.update('e', { enabled: true });
    assert.deepEqual(await dueIds(), ['e', 'b', 'c'], 'due did not follow an enabled entry');
    await store.update('c', { enabled: false });
    await store.delete('b');
    assert.deepEqual(await dueIds(), ['e'], 'due listed a disabled or deleted entry');
    const [entry] = await beat.due(NOW_AT, 10);
    assert.equal(entry?.version, 2, 'due returned an outdated copy of the entry');
  },
};
