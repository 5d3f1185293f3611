import assert from 'node:assert/strict';
import { defineTask } from '@stem/core';
import {
  assertNoWorkerErrors,
  WORKER_PATIENCE_MS,
  type WorkerCase,
  waitForQueueStats,
} from './worker-case-context';

export const revokedTaskSkipped: WorkerCase = {
  name: 'revoked-task-skipped',
  promise:
    'a task revoked before it started never runs: it is recorded as REVOKED with the reason and acked',
  async run(context) {
    const connection = await context.connect();
    const queue = context.queue();
    const shipped: string[] = [];
    const ship = defineTask({
      name: 'conformance.ship',
      run: (orderId: string) => {
        shipped.push(orderId);
      },
    });
    const revoked = await connection.stem.enqueue(ship, 'o-revoked', { queue });
    const kept = await connection.stem.enqueue(ship, 'o-kept', { queue });
    await connection.stem.revoke(revoked.id, { reason: 'order cancelled' });
    await context.startWorker(connection, { tasks: [ship], queue });

    await assert.rejects(revoked.get({ timeoutMs: WORKER_PATIENCE_MS }), (error: unknown) => {
      assert.equal((error as { code?: string }).code, 'TASK_REVOKED');
      assert.ok((error as Error).message.includes('order cancelled'));
      return true;
    });
    await kept.get({ timeoutMs: WORKER_PATIENCE_MS });
    await waitForQueueStats(
      connection.broker,
      queue,
      { ready: 0, delayed: 0, inFlight: 0, dead: 0 },
      'both messages to be acked',
    );
    assert.deepEqual(shipped, ['o-kept']);
    assert.deepEqual(connection.resultBackend.statusesOf(revoked.id), ['REVOKED']);
    assert.equal((await revoked.record())?.meta.note, 'order cancelled');
    assert.deepEqual(
      connection.broker.settlementsOf(revoked.id).map((settlement) => settlement.kind),
      ['ack'],
    );
    assertNoWorkerErrors(context);
  },
};
