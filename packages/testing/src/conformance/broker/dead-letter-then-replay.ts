/** Case: a dead-lettered message is listed with its reason and can be replayed. */
import assert from 'node:assert/strict';
import type { BrokerCase } from './broker-case-context';
import { conformanceEnvelope } from './conformance-envelope';
import { DeliveryLog } from './delivery-log';

export const deadLetterThenReplay: BrokerCase = {
  name: 'dead-letter-then-replay',
  promise:
    'deadLetter moves a message to the dead-letter list with its reason; replay publishes it again with attempt and delivery count reset and empties the list',
  async run(context) {
    const broker = await context.open();
    const queue = context.queue('dlq');
    const envelope = conformanceEnvelope(queue, { args: { job: 7 }, attempt: 3, maxRetries: 2 });
    await broker.publish(envelope);

    const log = new DeliveryLog();
    await broker.consume({ queue, prefetch: 1, leaseMs: 20_000 }, log.handler);
    await log.waitForCount(1, 'the delivery to dead-letter');
    const reason = {
      code: 'TASK_FAILED' as const,
      message: 'boom',
      error: { type: 'Error', message: 'boom', retryable: false },
    };
    const diedAfter = Date.now();
    await broker.deadLetter(log.delivery(0), reason);
    const diedBefore = Date.now();

    const page = await broker.listDeadLetters({ queue });
    assert.equal(page.entries.length, 1, 'one dead letter is listed');
    assert.equal(page.nextCursor, undefined, 'a single page');
    const [entry] = page.entries;
    assert.ok(entry !== undefined);
    assert.equal(entry.queue, queue);
    assert.deepEqual(entry.reason, reason, 'the reason is kept as given');
    assert.deepEqual(entry.envelope, envelope, 'the envelope is kept unchanged');
    assert.equal(entry.deliveryCount, 1);
    assert.ok(
      entry.deadAt >= diedAfter - 1_000 && entry.deadAt <= diedBefore + 1_000,
      'deadAt is when it died',
    );
    const dead = await broker.stats(queue);
    assert.equal(dead.dead, 1, 'stats count the dead letter');
    assert.equal(dead.inFlight, 0, 'a dead letter is no longer in flight');

    assert.equal(await broker.replayDeadLetters({ queue }), 1, 'one dead letter replayed');
    await log.waitForCount(2, 'the replayed message');
    const replayed = log.delivery(1);
    assert.equal(replayed.envelope.id, envelope.id, 'the same task');
    assert.deepEqual(replayed.envelope.args, envelope.args);
    assert.equal(replayed.envelope.attempt, 1, 'replay resets the attempt');
    assert.equal(replayed.deliveryCount, 1, 'replay resets the delivery count');
    await broker.ack(replayed);

    assert.deepEqual((await broker.listDeadLetters({ queue })).entries, [], 'the list is empty');
    const after = await broker.stats(queue);
    assert.equal(after.dead + after.ready + after.inFlight, 0, 'nothing is left');
  },
};
