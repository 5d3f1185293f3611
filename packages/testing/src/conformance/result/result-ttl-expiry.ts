import assert from 'node:assert/strict';
import { sleep } from '../conformance-case';
import type { ResultBackendCase } from './result-backend-case';
import { resultRecord } from './result-backend-case';

const TTL_MS = 400;

export const resultTtlExpiry: ResultBackendCase = {
  name: 'result-ttl-expiry',
  promise: 'a record written with ttlMs is readable before it lapses and gone after',
  async run(resources) {
    const backend = await resources.open();
    const other = await resources.open();
    await backend.set(resultRecord('short-lived', 'SUCCESS'), { ttlMs: TTL_MS });
    await backend.set(resultRecord('kept', 'SUCCESS'));

    assert.equal((await other.get('short-lived'))?.status, 'SUCCESS', 'gone before its TTL');
    await sleep(TTL_MS + 400);
    assert.equal(await other.get('short-lived'), undefined, 'still readable after its TTL');
    assert.equal(await backend.get('short-lived'), undefined, 'still readable after its TTL');
    assert.equal((await other.get('kept'))?.status, 'SUCCESS', 'a record without TTL expired');
  },
};
