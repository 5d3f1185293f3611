import assert from 'node:assert/strict';
import type { GroupProgress } from '@stem/core';
import type { ResultBackendCase } from './result-backend-case';
import { resultRecord } from './result-backend-case';

const SIZE = 100;
const DUPLICATES = 30;

export const chordCounterExactUnderConcurrency: ResultBackendCase = {
  name: 'chord-counter-exact-under-concurrency',
  promise:
    'racing member reports from many processes, duplicates included, count each member once and complete the group exactly once',
  async run(resources) {
    const a = await resources.open();
    const b = await resources.open();
    await a.initGroup({ groupId: 'chord', size: SIZE });
    await b.initGroup({ groupId: 'chord', size: SIZE });

    const report = (index: number, duplicate: boolean): Promise<GroupProgress> =>
      (index % 2 === 0 ? a : b).addGroupResult({
        groupId: 'chord',
        index,
        record: resultRecord(`member-${index}`, 'SUCCESS', duplicate ? 'duplicate' : index),
      });
    const reports: Array<Promise<GroupProgress>> = [];
    for (let index = 0; index < SIZE; index += 1) {
      reports.push(report(index, false));
      // Duplicates of earlier and later members, interleaved with the first reports.
      if (index % 3 === 0 && index < DUPLICATES * 3) reports.push(report((index * 7) % SIZE, true));
    }
    const progress = await Promise.all(reports);

    for (const step of progress) {
      assert.equal(step.size, SIZE);
      assert.ok(step.completed >= 1 && step.completed <= SIZE, `completed was ${step.completed}`);
    }
    const completions = progress.filter((step) => step.justCompleted);
    assert.equal(completions.length, 1, `justCompleted was true ${completions.length} times`);
    assert.equal(completions[0]?.completed, SIZE);

    await b.initGroup({ groupId: 'chord', size: SIZE });
    const late = await b.addGroupResult({
      groupId: 'chord',
      index: 5,
      record: resultRecord('member-5', 'SUCCESS'),
    });
    assert.deepEqual(late, { completed: SIZE, size: SIZE, justCompleted: false });
    const group = await a.getGroup('chord');
    assert.equal(group?.completed, SIZE, 'the group lost or double-counted members');
    assert.equal(group?.results.length, SIZE);
    group?.results.forEach((record, index) => {
      assert.equal(record?.taskId, `member-${index}`, `member ${index} is missing or misplaced`);
    });
  },
};
