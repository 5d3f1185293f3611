/** Case: an acked message is gone; it is not redelivered after its lease would have ended. */
import assert from 'node:assert/strict';
import { sleep } from '../conformance-case';
import { assertRejectsWithCode } from './assert-rejects-with-code';
import type { BrokerCase } from './broker-case-context';
import { conformanceEnvelope } from './conformance-envelope';
import { DeliveryLog } from './delivery-log';

const LEASE_MS = 200;

export const ackRemovesForGood: BrokerCase = {
  name: 'ack-removes-for-good',
  promise:
    'an acked message is never delivered again, even after its lease would have ended, and a second ack is refused',
  async run(context) {
    const broker = await context.open();
    const queue = context.queue('acked');
    await broker.publish(conformanceEnvelope(queue, { args: 1 }));
    await broker.publish(conformanceEnvelope(queue, { args: 2 }));

    const log = new DeliveryLog();
    await broker.consume({ queue, prefetch: 2, leaseMs: LEASE_MS }, log.handler);
    await log.waitForCount(2, 'both messages');
    await broker.ack(log.delivery(0));
    await broker.ack(log.delivery(1));

    await sleep(LEASE_MS * 3);
    assert.equal(log.count, 2, 'no acked message came back after the lease time passed');
    const stats = await broker.stats(queue);
    assert.equal(
      stats.ready + stats.delayed + stats.inFlight + stats.dead,
      0,
      'the queue is empty',
    );
    await assertRejectsWithCode(broker.ack(log.delivery(0)), 'LEASE_LOST', 'a second ack');
  },
};
