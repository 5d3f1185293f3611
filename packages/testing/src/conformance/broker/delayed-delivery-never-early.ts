/** Case: a message with notBeforeAt in the future is held until then, never delivered early. */
import assert from 'node:assert/strict';
import { assertRejectsWithCode } from './assert-rejects-with-code';
import type { BrokerCase } from './broker-case-context';
import { conformanceEnvelope } from './conformance-envelope';
import { DeliveryLog, PATIENCE_MS } from './delivery-log';

/** Delays in publish order; delivery must follow due time instead. */
const DELAYS_MS = [700, 250, 450] as const;
/** Far past any delay the suite's other cases use; for the maximum-delay check. */
const OVER_MAXIMUM_MARGIN_MS = 60_000;

export const delayedDeliveryNeverEarly: BrokerCase = {
  name: 'delayed-delivery-never-early',
  promise:
    'messages with notBeforeAt ahead are counted as delayed, delivered in due-time order and never before their time; a delay the broker cannot hold is refused with CAPABILITY_NOT_SUPPORTED',
  async run(context) {
    const broker = await context.open();
    const queue = context.queue('delayed');
    const delayed = context.capabilities.delayedDelivery;

    if (delayed === null) {
      await assertRejectsWithCode(
        broker.publish(conformanceEnvelope(queue, { notBeforeAt: Date.now() + 1_000 })),
        'CAPABILITY_NOT_SUPPORTED',
        'a delayed publish on a broker without delayed delivery',
      );
      const stats = await broker.stats(queue);
      assert.equal(stats.ready + stats.delayed, 0, 'the refused message was not stored');
      return;
    }
    if (delayed.maxDelayMs !== null) {
      const tooFar = Date.now() + delayed.maxDelayMs + OVER_MAXIMUM_MARGIN_MS;
      await assertRejectsWithCode(
        broker.publish(conformanceEnvelope(queue, { notBeforeAt: tooFar })),
        'CAPABILITY_NOT_SUPPORTED',
        'a delay over maxDelayMs',
      );
    }

    const publishedAt = Date.now();
    const envelopes = DELAYS_MS.map((delayMs) =>
      conformanceEnvelope(queue, { args: delayMs, notBeforeAt: publishedAt + delayMs }),
    );
    for (const envelope of envelopes) await broker.publish(envelope);
    const held = await broker.stats(queue);
    assert.equal(held.delayed, DELAYS_MS.length, 'all messages are counted as delayed');
    assert.equal(held.ready, 0, 'no delayed message is ready yet');

    const log = new DeliveryLog();
    await broker.consume({ queue, prefetch: 10, leaseMs: 10_000 }, log.handler);
    const longest = Math.max(...DELAYS_MS);
    await log.waitForCount(DELAYS_MS.length, 'every delayed message', longest + PATIENCE_MS);

    for (const { delivery, receivedAt } of log.entries) {
      const notBeforeAt = delivery.envelope.notBeforeAt ?? 0;
      assert.ok(
        receivedAt >= notBeforeAt,
        `message due at +${notBeforeAt - publishedAt} ms was delivered at +${receivedAt - publishedAt} ms`,
      );
    }
    const order = log.entries.map(({ delivery }) => delivery.envelope.args);
    assert.deepEqual(
      order,
      [...DELAYS_MS].sort((a, b) => a - b),
      'delivered in due-time order',
    );
    for (const { delivery } of log.entries) await broker.ack(delivery);
  },
};
