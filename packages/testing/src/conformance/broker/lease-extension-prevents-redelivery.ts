/** Case: a lease kept alive by extendLease is never redelivered to anyone. */
import assert from 'node:assert/strict';
import { sleep } from '../conformance-case';
import type { BrokerCase } from './broker-case-context';
import { conformanceEnvelope } from './conformance-envelope';
import { DeliveryLog } from './delivery-log';

const INITIAL_LEASE_MS = 300;
// Each extension reaches well past the next one, so a slow event loop cannot lose it.
const EXTENDED_LEASE_MS = 1_000;
const EXTEND_EVERY_MS = 150;
const KEEP_ALIVE_MS = INITIAL_LEASE_MS * 3;

export const leaseExtensionPreventsRedelivery: BrokerCase = {
  name: 'lease-extension-prevents-redelivery',
  promise:
    'extendLease pushes the lease end to now + leaseMs, so a message kept alive past its first lease is not redelivered',
  async run(context) {
    const broker = await context.open();
    const queue = context.queue('extended');
    await broker.publish(conformanceEnvelope(queue));

    const log = new DeliveryLog();
    await broker.consume({ queue, prefetch: 1, leaseMs: INITIAL_LEASE_MS }, log.handler);
    await log.waitForCount(1, 'the delivery');
    const delivery = log.delivery(0);

    const stopAt = Date.now() + KEEP_ALIVE_MS;
    let lastExpiresAt = delivery.leaseExpiresAt;
    while (Date.now() < stopAt) {
      const before = Date.now();
      const expiresAt = await broker.extendLease(delivery, EXTENDED_LEASE_MS);
      assert.ok(
        expiresAt >= before + EXTENDED_LEASE_MS,
        `extendLease returned ${expiresAt}, earlier than now + leaseMs (${before + EXTENDED_LEASE_MS})`,
      );
      assert.ok(expiresAt >= lastExpiresAt, 'each extension moves the end later');
      lastExpiresAt = expiresAt;
      await sleep(EXTEND_EVERY_MS);
    }
    assert.equal(log.count, 1, 'not redelivered while the lease was being extended');
    await broker.ack(delivery);
    const stats = await broker.stats(queue);
    assert.equal(stats.inFlight + stats.ready, 0, 'the extended delivery was acked for good');
  },
};
