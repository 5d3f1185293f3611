/** Case: a lease longer than maxLeaseMs is refused, at consume and at extendLease. */
import assert from 'node:assert/strict';
import { assertRejectsWithCode } from './assert-rejects-with-code';
import type { BrokerCase } from './broker-case-context';
import { conformanceEnvelope } from './conformance-envelope';
import { DeliveryLog } from './delivery-log';

export const leaseOverMaximumRefused: BrokerCase = {
  name: 'lease-over-maximum-refused',
  promise:
    'consume and extendLease refuse a lease over maxLeaseMs with CAPABILITY_NOT_SUPPORTED, leaving the current lease intact',
  async run(context) {
    const broker = await context.open();
    const queue = context.queue('long-lease');
    const tooLong = context.capabilities.maxLeaseMs + 1_000;
    await assertRejectsWithCode(
      broker.consume({ queue, prefetch: 1, leaseMs: tooLong }, () => undefined),
      'CAPABILITY_NOT_SUPPORTED',
      `consume with a ${tooLong} ms lease`,
    );

    await broker.publish(conformanceEnvelope(queue));
    const log = new DeliveryLog();
    await broker.consume({ queue, prefetch: 1, leaseMs: 20_000 }, log.handler);
    await log.waitForCount(1, 'the delivery');
    await assertRejectsWithCode(
      broker.extendLease(log.delivery(0), tooLong),
      'CAPABILITY_NOT_SUPPORTED',
      `extendLease to ${tooLong} ms`,
    );
    await broker.ack(log.delivery(0));
    assert.equal(log.count, 1, 'the refused extension did not disturb the lease');
  },
};
