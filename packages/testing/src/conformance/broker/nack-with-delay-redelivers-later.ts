/** Case: nack with a delay returns the message no sooner than the delay. */
import assert from 'node:assert/strict';
import { assertRejectsWithCode } from './assert-rejects-with-code';
import type { BrokerCase } from './broker-case-context';
import { conformanceEnvelope } from './conformance-envelope';
import { DeliveryLog, PATIENCE_MS } from './delivery-log';

const DELAY_MS = 400;

export const nackWithDelayRedeliversLater: BrokerCase = {
  name: 'nack-with-delay-redelivers-later',
  promise:
    'a message nacked with delayMs is redelivered no sooner than delayMs later, counted; without delayed delivery the nack is refused with CAPABILITY_NOT_SUPPORTED',
  async run(context) {
    const broker = await context.open();
    const queue = context.queue('nacked');
    await broker.publish(conformanceEnvelope(queue));
    const log = new DeliveryLog();
    await broker.consume({ queue, prefetch: 1, leaseMs: 20_000 }, log.handler);
    await log.waitForCount(1, 'the first delivery');
    const first = log.delivery(0);

    if (context.capabilities.delayedDelivery === null) {
      await assertRejectsWithCode(
        broker.nack(first, { delayMs: DELAY_MS }),
        'CAPABILITY_NOT_SUPPORTED',
        'a delayed nack on a broker without delayed delivery',
      );
      await broker.ack(first);
      return;
    }

    const nackedAt = Date.now();
    await broker.nack(first, { delayMs: DELAY_MS });
    await log.waitForCount(2, 'the redelivery after the delay', DELAY_MS + PATIENCE_MS);
    const second = log.entry(1);
    assert.ok(
      second.receivedAt >= nackedAt + DELAY_MS,
      `redelivered ${second.receivedAt - nackedAt} ms after the nack, before the ${DELAY_MS} ms delay`,
    );
    assert.equal(second.delivery.messageId, first.messageId, 'the same message');
    assert.equal(second.delivery.deliveryCount, 2, 'a nack without a new envelope still counts');
    await broker.ack(second.delivery);
  },
};
