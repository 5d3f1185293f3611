/**
 * Case: close() ends one instance only. It refuses later calls with CLOSED; what it
 * held comes back to other instances when the leases end, as after a process exit.
 */
import assert from 'node:assert/strict';
import { assertRejectsWithCode } from './assert-rejects-with-code';
import type { BrokerCase } from './broker-case-context';
import { conformanceEnvelope } from './conformance-envelope';
import { DeliveryLog, PATIENCE_MS } from './delivery-log';

const LEASE_MS = 300;

export const closedBrokerRefusesCalls: BrokerCase = {
  name: 'closed-broker-refuses-calls',
  promise:
    'a closed instance refuses every call with CLOSED (close itself is idempotent) while other instances keep consuming, and its held deliveries return after their leases',
  async run(context) {
    const closing = await context.open();
    const survivor = await context.open();
    const queue = context.queue('closing');

    const held = new DeliveryLog();
    await closing.consume({ queue, prefetch: 1, leaseMs: LEASE_MS }, held.handler);
    await closing.publish(conformanceEnvelope(queue));
    await held.waitForCount(1, 'the delivery held by the closing instance');
    const surviving = new DeliveryLog();
    await survivor.consume({ queue, prefetch: 1, leaseMs: 20_000 }, surviving.handler);

    await closing.close();
    await closing.close(); // idempotent: a second close neither throws nor reopens
    const delivery = held.delivery(0);
    await assertRejectsWithCode(closing.publish(conformanceEnvelope(queue)), 'CLOSED', 'publish');
    await assertRejectsWithCode(closing.ack(delivery), 'CLOSED', 'ack');
    await assertRejectsWithCode(closing.stats(queue), 'CLOSED', 'stats');
    await assertRejectsWithCode(
      closing.consume({ queue, prefetch: 1 }, () => undefined),
      'CLOSED',
      'consume',
    );

    await surviving.waitForCount(1, 'the abandoned message', LEASE_MS + PATIENCE_MS);
    const taken = surviving.delivery(0);
    assert.equal(taken.messageId, delivery.messageId, 'the survivor got the abandoned message');
    assert.ok(
      surviving.entry(0).receivedAt >= delivery.leaseExpiresAt,
      'only after the abandoned lease ended',
    );
    assert.equal(taken.deliveryCount, 2, 'the abandoned delivery was counted');
    await survivor.ack(taken);
    assert.equal(held.count, 1, 'the closed instance received nothing more');
  },
};
