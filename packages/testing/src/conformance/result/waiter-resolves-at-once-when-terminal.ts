import assert from 'node:assert/strict';
import { sleep } from '../conformance-case';
import type { ResultBackendCase } from './result-backend-case';
import { resultRecord } from './result-backend-case';

export const waiterResolvesAtOnceWhenTerminal: ResultBackendCase = {
  name: 'waiter-resolves-at-once-when-terminal',
  promise:
    'waitFor on a record that is already terminal resolves without waiting for a notification',
  async run(resources) {
    const backend = await resources.open();
    await backend.set(resultRecord('done-before', 'FAILURE'));
    const waiting = backend.waitFor('done-before', { timeoutMs: 10_000 });
    waiting.catch(() => undefined);
    const record = await Promise.race([waiting, sleep(1_000).then(() => undefined)]);
    assert.ok(record !== undefined, 'waitFor on a terminal record did not resolve at once');
    assert.equal(record.status, 'FAILURE');
    assert.equal(record.error?.message, 'failed done-before');
  },
};
