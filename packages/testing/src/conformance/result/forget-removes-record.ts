import assert from 'node:assert/strict';
import type { ResultBackendCase } from './result-backend-case';
import { resultRecord } from './result-backend-case';

export const forgetRemovesRecord: ResultBackendCase = {
  name: 'forget-removes-record',
  promise: 'forget deletes that one record and nothing else',
  async run(resources) {
    const backend = await resources.open();
    const other = await resources.open();
    await backend.set(resultRecord('to-forget', 'SUCCESS'));
    await backend.set(resultRecord('to-keep', 'SUCCESS'));
    await backend.initGroup({ groupId: 'to-forget', size: 1 });

    await other.forget('to-forget');
    assert.equal(await backend.get('to-forget'), undefined, 'the record survived forget');
    assert.equal(
      (await backend.get('to-keep'))?.status,
      'SUCCESS',
      'forget removed another record',
    );
    assert.equal((await backend.getGroup('to-forget'))?.size, 1, 'forget removed a group');
    await other.forget('never-existed');
  },
};
