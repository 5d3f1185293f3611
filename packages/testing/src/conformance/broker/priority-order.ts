/**
 * Case: higher priorities are delivered first on brokers with several levels (FIFO
 * within a level when the broker declares fifo ordering); a priority the broker cannot
 * honour is refused rather than silently ignored.
 */
import assert from 'node:assert/strict';
import { assertRejectsWithCode } from './assert-rejects-with-code';
import type { BrokerCase } from './broker-case-context';
import { conformanceEnvelope } from './conformance-envelope';
import { DeliveryLog } from './delivery-log';

/** Highest priority an envelope may carry. */
const TOP_ENVELOPE_PRIORITY = 9;

export const priorityOrder: BrokerCase = {
  name: 'priority-order',
  promise:
    'ready messages are delivered highest priority first (in publish order within one priority on fifo brokers); a priority over the declared levels is refused with CAPABILITY_NOT_SUPPORTED',
  async run(context) {
    const broker = await context.open();
    const queue = context.queue('priority');
    const { priorityLevels, ordering } = context.capabilities;
    const top = Math.min(priorityLevels - 1, TOP_ENVELOPE_PRIORITY);

    if (priorityLevels <= TOP_ENVELOPE_PRIORITY) {
      await assertRejectsWithCode(
        broker.publish(conformanceEnvelope(queue, { priority: top + 1 })),
        'CAPABILITY_NOT_SUPPORTED',
        `priority ${top + 1} with ${priorityLevels} level(s)`,
      );
      const stats = await broker.stats(queue);
      assert.equal(stats.ready + stats.delayed, 0, 'the refused message was not stored');
    }

    const middle = Math.floor(top / 2);
    const priorities = [0, top, middle, 0, top, middle, 0];
    for (const [index, priority] of priorities.entries()) {
      await broker.publish(conformanceEnvelope(queue, { args: index, priority }));
    }
    const ackFailures: string[] = [];
    const log = new DeliveryLog((delivery) => {
      broker.ack(delivery).catch((error: unknown) => ackFailures.push(String(error)));
    });
    await broker.consume({ queue, prefetch: 1, leaseMs: 10_000 }, log.handler);
    await log.waitForCount(priorities.length, 'every message');
    assert.deepEqual(ackFailures, [], 'every ack succeeded');

    const delivered = log.entries.map(({ delivery }) => ({
      priority: delivery.envelope.priority,
      index: delivery.envelope.args as number,
    }));
    const deliveredPriorities = delivered.map((entry) => entry.priority);
    assert.deepEqual(
      deliveredPriorities,
      [...deliveredPriorities].sort((a, b) => b - a),
      'higher priorities first',
    );
    if (ordering === 'fifo') {
      const expected = priorities
        .map((priority, index) => ({ priority, index }))
        .sort((a, b) => b.priority - a.priority || a.index - b.index);
      assert.deepEqual(delivered, expected, 'publish order within each priority');
    }
  },
};
