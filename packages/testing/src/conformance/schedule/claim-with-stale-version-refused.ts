import assert from 'node:assert/strict';
import { newScheduleEntry, type ScheduleStoreCase } from './schedule-store-case';

const SCHEDULED_AT = 1_700_000_120_000;

export const claimWithStaleVersionRefused: ScheduleStoreCase = {
  name: 'claim-with-stale-version-refused',
  promise:
    'a claim computed from an outdated entry version is refused as stale, and one on a deleted entry as missing',
  async run(resources) {
    const store = await resources.open();
    const lateBeat = await resources.open();
    await store.create(newScheduleEntry('moved', { nextRunAt: SCHEDULED_AT }));
    const moved = await store.update('moved', { spec: { kind: 'interval', everyMs: 5_000 } });
    const request = { entryId: 'moved', scheduledAt: SCHEDULED_AT, claimant: 'late-beat' };

    const stale = await lateBeat.claimOccurrence({ ...request, entryVersion: 1 });
    assert.deepEqual(
      { claimed: stale.claimed, reason: stale.claimed ? undefined : stale.reason },
      { claimed: false, reason: 'stale' },
      'a claim from an outdated version was not refused as stale',
    );
    const current = await lateBeat.claimOccurrence({ ...request, entryVersion: moved.version });
    assert.equal(current.claimed, true, 'a refused stale claim blocked the occurrence');

    const missing = await lateBeat.claimOccurrence({
      entryId: 'never-created',
      scheduledAt: SCHEDULED_AT,
      claimant: 'late-beat',
      entryVersion: 1,
    });
    assert.ok(
      !missing.claimed && missing.reason === 'missing',
      'a claim on no entry was not missing',
    );
  },
};
