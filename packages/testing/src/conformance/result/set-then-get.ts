import assert from 'node:assert/strict';
import type { ResultBackendCase } from './result-backend-case';
import { resultRecord } from './result-backend-case';

export const setThenGet: ResultBackendCase = {
  name: 'set-then-get',
  promise: 'a stored record reads back unchanged from any instance, and callers cannot mutate it',
  async run(resources) {
    const writer = await resources.open();
    const reader = await resources.open();
    const record = resultRecord('task-1', 'SUCCESS', { nested: { values: [1, 2, 3] }, text: 'é' });
    record.meta.workerId = 'worker-a';
    await writer.set(record);

    assert.deepEqual(await writer.get('task-1'), record);
    assert.deepEqual(await reader.get('task-1'), record);
    assert.equal(await reader.get('task-never-set'), undefined);

    record.meta.workerId = 'mutated after set';
    const first = await reader.get('task-1');
    assert.equal(first?.meta.workerId, 'worker-a', 'the stored record changed with the caller');
    if (first !== undefined) first.status = 'FAILURE';
    assert.equal((await reader.get('task-1'))?.status, 'SUCCESS', 'a read copy aliases the store');
  },
};
