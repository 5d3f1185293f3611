import assert from 'node:assert/strict';
import { defineTask, type TaskProgressEvent } from '@stem/core';
import { eventually } from '../conformance-case';
import { assertNoWorkerErrors, WORKER_PATIENCE_MS, type WorkerCase } from './worker-case-context';

export const progressReachesResultMeta: WorkerCase = {
  name: 'progress-reaches-result-meta',
  promise:
    "progress a running task reports shows in its result record's meta and as a task.progress event while it runs",
  async run(context) {
    const connection = await context.connect();
    const queue = context.queue();
    let finish: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const importRows = defineTask({
      name: 'conformance.import-rows',
      run: async (_args: null, task) => {
        await task.reportProgress({ fraction: 0.5, info: { rows: 500 } });
        await finished;
        return 'imported';
      },
    });
    await context.startWorker(connection, { tasks: [importRows], queue });
    const result = await connection.stem.enqueue(importRows, null, { queue });

    try {
      await eventually(
        'the progress to reach the result record',
        async () => (await result.record())?.meta.progress !== undefined,
        WORKER_PATIENCE_MS,
      );
      const record = await result.record();
      assert.equal(record?.status, 'STARTED');
      assert.equal(record?.meta.progress?.fraction, 0.5);
      assert.deepEqual(record?.meta.progress?.info, { rows: 500 });
      assert.equal(typeof record?.meta.progress?.reportedAt, 'number');
      await eventually(
        'the progress event',
        () => connection.events.some((event) => event.type === 'task.progress'),
        WORKER_PATIENCE_MS,
      );
      const event = connection.events.find(
        (seen): seen is TaskProgressEvent => seen.type === 'task.progress',
      );
      assert.equal(event?.taskId, result.id);
      assert.deepEqual(event?.progress, record?.meta.progress);
    } finally {
      finish();
    }
    assert.equal(await result.get({ timeoutMs: WORKER_PATIENCE_MS }), 'imported');
    assertNoWorkerErrors(context);
  },
};
