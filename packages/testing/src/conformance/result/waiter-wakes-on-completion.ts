import assert from 'node:assert/strict';
import type { ResultRecord } from '@stem/core';
import { sleep } from '../conformance-case';
import type { ResultBackendCase } from './result-backend-case';
import { resultRecord } from './result-backend-case';

/** Far longer than the wake-up we accept, so only a notification can pass the case. */
const WAIT_TIMEOUT_MS = 10_000;
/** How soon after the terminal write the waiter must have woken (generous for a loaded box). */
const WAKE_WITHIN_MS = 1_500;

export const waiterWakesOnCompletion: ResultBackendCase = {
  name: 'waiter-wakes-on-completion',
  promise: 'a waitFor on one instance resolves promptly when another instance writes the outcome',
  async run(resources) {
    const waiterSide = await resources.open();
    const workerSide = await resources.open();
    await workerSide.set(resultRecord('awaited', 'STARTED'));

    let settled = false;
    const waiting = waiterSide.waitFor('awaited', { timeoutMs: WAIT_TIMEOUT_MS });
    const outcome = waiting.then(
      (record): { record: ResultRecord } => {
        settled = true;
        return { record };
      },
      (error: unknown): { error: unknown } => {
        settled = true;
        return { error };
      },
    );
    await sleep(200);
    assert.equal(settled, false, 'waitFor settled before the task finished');

    await workerSide.set(resultRecord('awaited', 'SUCCESS', { answer: 42 }));
    const first = await Promise.race([outcome, sleep(WAKE_WITHIN_MS).then(() => undefined)]);
    assert.ok(first !== undefined, `waitFor was not woken within ${WAKE_WITHIN_MS} ms of the set`);
    assert.ok('record' in first, `waitFor rejected: ${String('error' in first && first.error)}`);
    assert.equal(first.record.status, 'SUCCESS');
    assert.deepEqual(first.record.payload, { answer: 42 });
  },
};
