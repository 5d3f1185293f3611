import assert from 'node:assert/strict';
import { defineTask } from '@stem/core';
import { eventually } from '../conformance-case';
import {
  assertNoWorkerErrors,
  WORKER_PATIENCE_MS,
  type WorkerCase,
  waitForQueueStats,
} from './worker-case-context';

const CARD_NUMBER = '4111111111111111';

export const secretArgsRedacted: WorkerCase = {
  name: 'secret-args-redacted',
  promise:
    'a secret argument echoed in an error never reaches a result record, a dead-letter reason or an event; the rest of the error text stays',
  async run(context) {
    const connection = await context.connect();
    const queue = context.queue();
    const pay = defineTask({
      name: 'conformance.pay',
      secretArgs: ['cardNumber'],
      retry: { maxRetries: 1, initialDelayMs: 10, jitter: 'none' },
      run: ({ cardNumber }: { cardNumber: string; amount: number }) => {
        throw new Error(`card ${cardNumber} was declined`);
      },
    });
    await context.startWorker(connection, { tasks: [pay], queue });
    const result = await connection.stem.enqueue(
      pay,
      { cardNumber: CARD_NUMBER, amount: 42 },
      { queue },
    );

    await assert.rejects(result.get({ timeoutMs: WORKER_PATIENCE_MS }), { code: 'TASK_FAILED' });
    await waitForQueueStats(connection.broker, queue, { dead: 1 }, 'the dead letter');
    await eventually(
      'the task.failed event',
      () => connection.events.some((event) => event.type === 'task.failed'),
      WORKER_PATIENCE_MS,
    );

    const record = await result.record();
    assert.equal(record?.status, 'FAILURE');
    assert.ok(record?.error?.message.includes('was declined'), 'the error text was lost');
    for (const write of connection.resultBackend.writesOf(result.id)) {
      assertNoSecret(write.record, `the ${write.record.status} record`);
    }
    const { entries } = await connection.broker.listDeadLetters({ queue });
    assert.equal(entries.length, 1);
    assertNoSecret(entries[0]!.reason, 'the dead-letter reason');

    const taskEvents = connection.events.filter(
      (event) => 'taskId' in event && event.taskId === result.id,
    );
    assert.deepEqual(
      taskEvents.map((event) => event.type),
      ['task.started', 'task.retried', 'task.started', 'task.failed'],
    );
    for (const event of taskEvents) assertNoSecret(event, `the ${event.type} event`);
    assertNoWorkerErrors(context);
  },
};

function assertNoSecret(value: unknown, where: string): void {
  assert.ok(!JSON.stringify(value).includes(CARD_NUMBER), `${where} holds the card number`);
}
