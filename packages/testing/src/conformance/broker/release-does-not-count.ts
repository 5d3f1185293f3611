/** Case: a released delivery comes back at once, first in line, and is not counted. */
import assert from 'node:assert/strict';
import type { BrokerCase } from './broker-case-context';
import { conformanceEnvelope } from './conformance-envelope';
import { DeliveryLog } from './delivery-log';

const RELEASES = 3;

export const releaseDoesNotCount: BrokerCase = {
  name: 'release-does-not-count',
  promise:
    'release makes the message ready again at once, ahead of later messages, with the same delivery count, and never pushes it over the delivery limit',
  async run(context) {
    const broker = await context.open();
    const queue = context.queue('released');
    const head = conformanceEnvelope(queue, { args: 'head' });
    await broker.publish(head);
    await broker.publish(conformanceEnvelope(queue, { args: 'behind' }));

    const log = new DeliveryLog();
    // With a limit of 1, any counted redelivery would be dead-lettered instead.
    await broker.consume({ queue, prefetch: 1, leaseMs: 20_000, deliveryLimit: 1 }, log.handler);
    for (let index = 0; index < RELEASES; index += 1) {
      await log.waitForCount(index + 1, `delivery ${index + 1}`);
      const delivery = log.delivery(index);
      assert.equal(delivery.envelope.id, head.id, 'the released message is delivered first again');
      assert.equal(delivery.deliveryCount, 1, 'a release is not counted');
      await broker.release(delivery);
    }
    await log.waitForCount(RELEASES + 1, 'the delivery after the last release');
    const last = log.delivery(RELEASES);
    assert.equal(last.envelope.id, head.id);
    assert.equal(last.deliveryCount, 1);
    await broker.ack(last);
    const stats = await broker.stats(queue);
    assert.equal(stats.dead, 0, 'releases never dead-letter a message');
  },
};
