import assert from 'node:assert/strict';
import { hasErrorCode } from '@stem/core';
import { newScheduleEntry, type ScheduleStoreCase } from './schedule-store-case';

export const staleVersionedUpdateRejected: ScheduleStoreCase = {
  name: 'stale-versioned-update-rejected',
  promise:
    'an update or delete that names an outdated expectedVersion fails with VERSION_CONFLICT and changes nothing',
  async run(resources) {
    const first = await resources.open();
    const second = await resources.open();
    await first.create(newScheduleEntry('edited', { queue: 'original' }));

    const updated = await first.update('edited', { queue: 'first-edit' }, { expectedVersion: 1 });
    assert.equal(updated.version, 2);
    await assert.rejects(
      second.update('edited', { queue: 'lost-edit' }, { expectedVersion: 1 }),
      (error) => hasErrorCode(error, 'VERSION_CONFLICT'),
    );
    await assert.rejects(second.delete('edited', { expectedVersion: 1 }), (error) =>
      hasErrorCode(error, 'VERSION_CONFLICT'),
    );
    const stored = await second.get('edited');
    assert.equal(stored?.queue, 'first-edit', 'a stale update was applied');
    assert.equal(stored?.version, 2);

    await assert.rejects(second.update('absent', { queue: 'x' }), (error) =>
      hasErrorCode(error, 'NOT_FOUND'),
    );
    assert.equal(await second.delete('edited', { expectedVersion: 2 }), true);
    assert.equal(await second.delete('edited'), false);
  },
};
