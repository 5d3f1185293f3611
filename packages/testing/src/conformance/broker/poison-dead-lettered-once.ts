/** Case: a message never settled is delivered deliveryLimit times, then dead-lettered once. */
import assert from 'node:assert/strict';
import { eventually, sleep } from '../conformance-case';
import type { BrokerCase } from './broker-case-context';
import { conformanceEnvelope } from './conformance-envelope';
import { DeliveryLog, PATIENCE_MS } from './delivery-log';

const LEASE_MS = 150;
const DELIVERY_LIMIT = 3;

export const poisonDeadLetteredOnce: BrokerCase = {
  name: 'poison-dead-lettered-once',
  promise:
    'a message whose leases keep expiring is delivered exactly deliveryLimit times, then moved once to the dead-letter list with reason DELIVERY_LIMIT_EXCEEDED',
  async run(context) {
    const broker = await context.open();
    const queue = context.queue('poison');
    const envelope = conformanceEnvelope(queue, { args: 'poison' });
    await broker.publish(envelope);

    const log = new DeliveryLog();
    await broker.consume(
      { queue, prefetch: 1, leaseMs: LEASE_MS, deliveryLimit: DELIVERY_LIMIT },
      log.handler,
    );
    await eventually(
      'the poison message to be dead-lettered',
      async () => (await broker.stats(queue)).dead > 0 || log.count > DELIVERY_LIMIT,
      DELIVERY_LIMIT * LEASE_MS + PATIENCE_MS,
    );
    // Long enough for a wrong extra delivery or a second dead letter to show up.
    await sleep(LEASE_MS * 3);

    assert.deepEqual(
      log.entries.map(({ delivery }) => delivery.deliveryCount),
      [1, 2, 3],
      `delivered exactly ${DELIVERY_LIMIT} times, never more`,
    );
    const { entries } = await broker.listDeadLetters({ queue });
    assert.equal(entries.length, 1, 'dead-lettered exactly once');
    const [entry] = entries;
    assert.ok(entry !== undefined);
    assert.equal(entry.reason.code, 'DELIVERY_LIMIT_EXCEEDED');
    assert.equal(entry.envelope.id, envelope.id);
    assert.equal(entry.deliveryCount, DELIVERY_LIMIT, 'the dead letter records the deliveries');
    const stats = await broker.stats(queue);
    assert.deepEqual([stats.ready, stats.delayed, stats.inFlight, stats.dead], [0, 0, 0, 1]);
  },
};
