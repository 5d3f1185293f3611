/** Case: nack with a new envelope stores it in place of the old one, as a new attempt. */
import assert from 'node:assert/strict';
import type { BrokerCase } from './broker-case-context';
import { conformanceEnvelope } from './conformance-envelope';
import { DeliveryLog } from './delivery-log';

export const nackWithEnvelopeReplaces: BrokerCase = {
  name: 'nack-with-envelope-replaces',
  promise:
    'nack with an envelope redelivers that envelope (a retry with attempt + 1) and restarts the delivery count; a plain nack keeps counting',
  async run(context) {
    const broker = await context.open();
    const queue = context.queue('retried');
    const original = conformanceEnvelope(queue, { args: { n: 1 }, maxRetries: 3 });
    await broker.publish(original);

    const log = new DeliveryLog();
    await broker.consume({ queue, prefetch: 1, leaseMs: 20_000 }, log.handler);
    await log.waitForCount(1, 'the first attempt');
    const first = log.delivery(0);
    assert.equal(first.envelope.attempt, 1);

    const retry = {
      ...first.envelope,
      attempt: 2,
      headers: { ...first.envelope.headers, retried: 'yes' },
    };
    await broker.nack(first, { envelope: retry });
    await log.waitForCount(2, 'the retry');
    const second = log.delivery(1);
    assert.deepEqual(second.envelope, retry, 'the replacement envelope is delivered');
    assert.equal(second.envelope.id, original.id, 'still the same task');
    assert.equal(second.deliveryCount, 1, 'a retry restarts the delivery count');
    assert.notEqual(second.leaseToken, first.leaseToken);

    await broker.nack(second);
    await log.waitForCount(3, 'the redelivery after a plain nack');
    const third = log.delivery(2);
    assert.equal(third.envelope.attempt, 2, 'a plain nack keeps the stored envelope');
    assert.equal(third.deliveryCount, 2, 'a plain nack counts as a delivery');
    await broker.ack(third);
  },
};
