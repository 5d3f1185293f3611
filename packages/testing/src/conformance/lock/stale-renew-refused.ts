import assert from 'node:assert/strict';
import { sleep } from '../conformance-case';
import type { LockStoreCase } from './lock-store-case';

const SHORT_TTL_MS = 200;

export const staleRenewRefused: LockStoreCase = {
  name: 'stale-renew-refused',
  promise:
    'a holder whose lock lapsed and passed to another can neither renew nor release it; the new holder keeps it',
  async run(resources) {
    const paused = await resources.open();
    const other = await resources.open();
    const old = await paused.acquire('leader', 'paused', SHORT_TTL_MS);
    assert.ok(old !== undefined);
    assert.equal(await paused.renew(old, SHORT_TTL_MS), true, 'renewing a held lock failed');

    await sleep(SHORT_TTL_MS + 300);
    const current = await other.acquire('leader', 'fresh', 5_000);
    assert.ok(current !== undefined, 'a lapsed lock could not be taken');
    assert.equal(await paused.renew(old, 5_000), false, 'a lapsed holder renewed a lock it lost');
    assert.equal(await paused.release(old), false, 'a lapsed holder released a lock it lost');
    const forged = { ...current, fencingToken: current.fencingToken + 1 };
    assert.equal(await paused.renew(forged, 5_000), false, 'renew ignored the fencing token');

    assert.equal(
      await other.acquire('leader', 'third', 5_000),
      undefined,
      'the new holder lost it',
    );
    assert.equal(await other.renew(current, 5_000), true, 'the new holder could not renew');
  },
};
