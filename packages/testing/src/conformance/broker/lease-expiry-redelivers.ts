/** Case: an unacked message comes back after its lease ends, and not before. */
import assert from 'node:assert/strict';
import { sleep } from '../conformance-case';
import type { BrokerCase } from './broker-case-context';
import { conformanceEnvelope } from './conformance-envelope';
import { DeliveryLog, PATIENCE_MS } from './delivery-log';

const LEASE_MS = 400;

export const leaseExpiryRedelivers: BrokerCase = {
  name: 'lease-expiry-redelivers',
  promise:
    'a delivery neither acked nor nacked is redelivered once its lease ends, never before, with a new lease token and a higher delivery count',
  async run(context) {
    const broker = await context.open();
    const queue = context.queue('expiring');
    const envelope = conformanceEnvelope(queue);
    await broker.publish(envelope);

    const log = new DeliveryLog();
    await broker.consume({ queue, prefetch: 1, leaseMs: LEASE_MS }, log.handler);
    await log.waitForCount(1, 'the first delivery');
    const first = log.entry(0);

    await sleep(LEASE_MS / 2);
    if (Date.now() < first.delivery.leaseExpiresAt) {
      assert.equal(log.count, 1, 'nothing is redelivered halfway through the lease');
    }
    await log.waitForCount(2, 'the redelivery after the lease', LEASE_MS + PATIENCE_MS);
    const second = log.entry(1);

    assert.ok(
      second.receivedAt >= first.delivery.leaseExpiresAt,
      `redelivered at ${second.receivedAt}, before the lease ended at ${first.delivery.leaseExpiresAt}`,
    );
    assert.equal(second.delivery.messageId, first.delivery.messageId, 'the same message');
    assert.equal(second.delivery.envelope.id, envelope.id);
    assert.equal(second.delivery.deliveryCount, 2, 'the redelivery is counted');
    assert.notEqual(second.delivery.leaseToken, first.delivery.leaseToken, 'a fresh lease token');
    await broker.ack(second.delivery);
  },
};
