import assert from 'node:assert/strict';
import type { LockStoreCase } from './lock-store-case';

const TTL_MS = 10_000;
const CONTENDERS = 10;

export const exclusive: LockStoreCase = {
  name: 'exclusive',
  promise:
    'while a lock is held nobody else gets it, however many race for it; once released anyone can',
  async run(resources) {
    const stores = [await resources.open(), await resources.open()];
    const held = await stores[0]!.acquire('reaper', 'process-a', TTL_MS);
    assert.ok(held !== undefined, 'a free lock was refused');
    assert.equal(held.owner, 'process-a');
    assert.ok(held.expiresAt > Date.now(), 'the lock expires in the past');
    assert.equal(await stores[1]!.acquire('reaper', 'process-b', TTL_MS), undefined);

    const racers = await Promise.all(
      Array.from({ length: CONTENDERS }, (_, i) =>
        stores[i % 2]!.acquire('migration', `racer-${i}`, TTL_MS),
      ),
    );
    const winners = racers.filter((lock) => lock !== undefined);
    assert.equal(winners.length, 1, `${winners.length} racers hold the same lock`);

    assert.equal(await stores[0]!.release(held), true, 'releasing a held lock failed');
    const next = await stores[1]!.acquire('reaper', 'process-b', TTL_MS);
    assert.equal(next?.owner, 'process-b', 'a released lock could not be taken');
  },
};
