import assert from 'node:assert/strict';
import type { ResultBackendCase } from './result-backend-case';
import { resultRecord } from './result-backend-case';

export const terminalNotOverwrittenByLateStart: ResultBackendCase = {
  name: 'terminal-not-overwritten-by-late-start',
  promise:
    'a late non-terminal write never moves a finished task back, but a terminal write replaces',
  async run(resources) {
    const first = await resources.open();
    const late = await resources.open();
    await first.set(resultRecord('finished', 'SUCCESS', 'the result'));

    await late.set(resultRecord('finished', 'STARTED'));
    await late.set(resultRecord('finished', 'RETRY'));
    const kept = await first.get('finished');
    assert.equal(kept?.status, 'SUCCESS', 'a late STARTED/RETRY overwrote a terminal record');
    assert.equal(kept?.payload, 'the result');

    await late.set(resultRecord('finished', 'REVOKED'));
    assert.equal((await first.get('finished'))?.status, 'REVOKED', 'a terminal write was ignored');
  },
};
