import assert from 'node:assert/strict';
import { sleep } from '../conformance-case';
import type { ResultBackendCase } from './result-backend-case';
import { resultRecord } from './result-backend-case';

export const waiterRejectsOnAbort: ResultBackendCase = {
  name: 'waiter-rejects-on-abort',
  promise: "waitFor rejects with the signal's reason when its signal aborts",
  async run(resources) {
    const backend = await resources.open();
    await backend.set(resultRecord('abandoned', 'PENDING'));
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    const outcome = backend.waitFor('abandoned', { signal: controller.signal }).then(
      () => 'resolved' as const,
      (error: unknown) => error,
    );
    await sleep(50);
    controller.abort(reason);
    const settled = await Promise.race([outcome, sleep(2_000).then(() => 'pending' as const)]);
    assert.equal(settled, reason, 'waitFor did not reject with the abort reason');

    const aborted = AbortSignal.abort(reason);
    await assert.rejects(
      backend.waitFor('abandoned', { signal: aborted }),
      (error) => error === reason,
    );
  },
};
