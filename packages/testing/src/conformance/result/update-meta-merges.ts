import assert from 'node:assert/strict';
import type { ResultBackendCase } from './result-backend-case';
import { resultRecord } from './result-backend-case';

export const updateMetaMerges: ResultBackendCase = {
  name: 'update-meta-merges',
  promise: 'updateMeta merges into meta and leaves the status and payload alone',
  async run(resources) {
    const backend = await resources.open();
    const worker = await resources.open();
    await backend.set(resultRecord('progressing', 'STARTED'));
    const progress = { fraction: 0.5, info: { step: 'half' }, reportedAt: Date.now() };

    await worker.updateMeta('progressing', { progress });
    await worker.updateMeta('progressing', { lastHeartbeatAt: 1234 });
    const record = await backend.get('progressing');
    assert.equal(record?.status, 'STARTED');
    assert.equal(record?.meta.taskName, 'conformance.task', 'updateMeta dropped existing meta');
    assert.equal(record?.meta.attempt, 1);
    assert.deepEqual(record?.meta.progress, progress);
    assert.equal(record?.meta.lastHeartbeatAt, 1234);
  },
};
