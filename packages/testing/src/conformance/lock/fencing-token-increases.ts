import assert from 'node:assert/strict';
import { sleep } from '../conformance-case';
import type { LockStoreCase } from './lock-store-case';

const SHORT_TTL_MS = 200;

export const fencingTokenIncreases: LockStoreCase = {
  name: 'fencing-token-increases',
  promise: 'every acquisition of a key, after a release or a lapse, carries a larger fencing token',
  async run(resources) {
    const first = await resources.open();
    const second = await resources.open();
    const a = await first.acquire('fenced', 'a', 5_000);
    assert.ok(a !== undefined);
    assert.equal(await first.release(a), true);

    const b = await second.acquire('fenced', 'b', SHORT_TTL_MS);
    assert.ok(b !== undefined, 'a released lock could not be taken');
    assert.ok(b.fencingToken > a.fencingToken, `token went ${a.fencingToken} -> ${b.fencingToken}`);

    await sleep(SHORT_TTL_MS + 300);
    const c = await first.acquire('fenced', 'c', 5_000);
    assert.ok(c !== undefined, 'a lapsed lock could not be taken');
    assert.ok(c.fencingToken > b.fencingToken, `token went ${b.fencingToken} -> ${c.fencingToken}`);
  },
};
