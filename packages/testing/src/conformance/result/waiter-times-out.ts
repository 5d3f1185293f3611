import assert from 'node:assert/strict';
import { hasErrorCode } from '@stem/core';
import { sleep } from '../conformance-case';
import type { ResultBackendCase } from './result-backend-case';
import { resultRecord } from './result-backend-case';

const TIMEOUT_MS = 250;

export const waiterTimesOut: ResultBackendCase = {
  name: 'waiter-times-out',
  promise: 'waitFor rejects with RESULT_TIMEOUT once timeoutMs passes without an outcome',
  async run(resources) {
    const backend = await resources.open();
    await backend.set(resultRecord('slow', 'STARTED'));
    const startedAt = Date.now();
    const outcome = backend.waitFor('slow', { timeoutMs: TIMEOUT_MS }).then(
      () => ({ error: undefined as unknown, resolved: true }),
      (error: unknown) => ({ error, resolved: false }),
    );
    const settled = await Promise.race([outcome, sleep(TIMEOUT_MS + 3_000).then(() => undefined)]);
    assert.ok(settled !== undefined, 'waitFor never gave up');
    assert.equal(settled.resolved, false, 'waitFor resolved although the task never finished');
    assert.ok(
      hasErrorCode(settled.error, 'RESULT_TIMEOUT'),
      `wrong error: ${String(settled.error)}`,
    );
    // Timers may fire a millisecond early on some platforms.
    assert.ok(Date.now() - startedAt >= TIMEOUT_MS - 5, 'waitFor gave up before timeoutMs');
  },
};
