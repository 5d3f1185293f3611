import assert from 'node:assert/strict';
import { defineTask } from '@stem/core';
import { sleep } from '../conformance-case';
import {
  assertNoWorkerErrors,
  WORKER_PATIENCE_MS,
  type WorkerCase,
  waitForQueueStats,
} from './worker-case-context';

export const expiredTaskSkipped: WorkerCase = {
  name: 'expired-task-skipped',
  promise:
    'a task that expired before a worker picked it up never runs: it is recorded as REVOKED (expired) and acked, not dead-lettered',
  async run(context) {
    const connection = await context.connect();
    const queue = context.queue();
    const ran: string[] = [];
    const report = defineTask({
      name: 'conformance.report',
      run: (name: string) => {
        ran.push(name);
        return name;
      },
    });
    const expired = await connection.stem.enqueue(report, 'stale', { queue, expiresInMs: 50 });
    const fresh = await connection.stem.enqueue(report, 'fresh', { queue, expiresInMs: 60_000 });
    await sleep(150);
    await context.startWorker(connection, { tasks: [report], queue });

    await assert.rejects(expired.get({ timeoutMs: WORKER_PATIENCE_MS }), { code: 'TASK_REVOKED' });
    assert.equal(await fresh.get({ timeoutMs: WORKER_PATIENCE_MS }), 'fresh');
    await waitForQueueStats(
      connection.broker,
      queue,
      { ready: 0, delayed: 0, inFlight: 0, dead: 0 },
      'both messages to be acked',
    );
    assert.deepEqual(ran, ['fresh']);
    assert.deepEqual(connection.resultBackend.statusesOf(expired.id), ['REVOKED']);
    assert.ok((await expired.record())?.meta.note?.includes('expired'), 'no note says it expired');
    assert.deepEqual(
      connection.broker.settlementsOf(expired.id).map((settlement) => settlement.kind),
      ['ack'],
    );
    assertNoWorkerErrors(context);
  },
};
