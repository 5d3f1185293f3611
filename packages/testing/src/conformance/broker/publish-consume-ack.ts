/** Case: a published message reaches a consumer intact, once, and an ack settles it. */
import assert from 'node:assert/strict';
import type { BrokerCase } from './broker-case-context';
import { conformanceEnvelope } from './conformance-envelope';
import { DeliveryLog } from './delivery-log';

export const publishConsumeAck: BrokerCase = {
  name: 'publish-consume-ack',
  promise:
    'a published envelope is delivered unchanged (a copy taken at publish) with a fresh lease, and ack settles it',
  async run(context) {
    const broker = await context.open();
    const queue = context.queue('basic');
    const envelope = conformanceEnvelope(queue, {
      args: { order: 42, items: ['a', 'b'] },
      headers: { tenant: 'acme' },
      meta: { note: 'kept' },
    });
    const expected = structuredClone(envelope);
    const publishedAt = Date.now();
    await broker.publish(envelope);
    // The broker must have taken its own copy: later changes to the object do not leak in.
    (envelope.args as { order: number }).order = 0;
    envelope.headers.tenant = 'changed';

    const log = new DeliveryLog();
    await broker.consume({ queue, prefetch: 1, leaseMs: 10_000 }, log.handler);
    await log.waitForCount(1, 'the published message');
    const { delivery, receivedAt } = log.entry(0);

    assert.deepEqual(
      delivery.envelope,
      expected,
      'the delivered envelope equals the published one',
    );
    assert.equal(delivery.queue, queue);
    assert.equal(delivery.deliveryCount, 1, 'first delivery has deliveryCount 1');
    assert.equal(typeof delivery.messageId, 'string');
    assert.ok(delivery.messageId.length > 0, 'messageId is set');
    assert.equal(typeof delivery.leaseToken, 'string');
    assert.ok(delivery.leaseToken.length > 0, 'leaseToken is set');
    assert.ok(
      delivery.leaseExpiresAt >= publishedAt + 10_000 &&
        delivery.leaseExpiresAt <= receivedAt + 10_000 + 1_000,
      `leaseExpiresAt ${delivery.leaseExpiresAt} is about now + leaseMs (received at ${receivedAt})`,
    );

    await broker.ack(delivery);
    const stats = await broker.stats(queue);
    assert.deepEqual(
      { ready: stats.ready, delayed: stats.delayed, inFlight: stats.inFlight, dead: stats.dead },
      { ready: 0, delayed: 0, inFlight: 0, dead: 0 },
      'nothing is left after the ack',
    );
    assert.equal(log.count, 1, 'the message was delivered exactly once');
  },
};
