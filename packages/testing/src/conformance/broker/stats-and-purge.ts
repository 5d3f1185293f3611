/** Case: stats count each state, and purge drops ready and delayed messages only. */
import assert from 'node:assert/strict';
import type { Broker, QueueStats } from '@stem/core';
import type { BrokerCase } from './broker-case-context';
import { conformanceEnvelope } from './conformance-envelope';
import { DeliveryLog } from './delivery-log';

const FAR_AHEAD_MS = 60 * 60 * 1000;

export const statsAndPurge: BrokerCase = {
  name: 'stats-and-purge',
  promise:
    'stats count ready, delayed, in-flight and dead messages; purge deletes ready and delayed ones and keeps in-flight leases valid',
  async run(context) {
    const broker = await context.open();
    const queue = context.queue('stats');
    assert.deepEqual(await counts(broker, queue), [0, 0, 0, 0], 'an unused queue is empty');

    const delayedCount = context.capabilities.delayedDelivery === null ? 0 : 2;
    for (let index = 0; index < 4; index += 1) {
      await broker.publish(conformanceEnvelope(queue, { args: index }));
    }
    for (let index = 0; index < delayedCount; index += 1) {
      await broker.publish(conformanceEnvelope(queue, { notBeforeAt: Date.now() + FAR_AHEAD_MS }));
    }
    assert.deepEqual(await counts(broker, queue), [4, delayedCount, 0, 0]);

    const log = new DeliveryLog();
    const subscription = await broker.consume({ queue, prefetch: 1, leaseMs: 20_000 }, log.handler);
    await log.waitForCount(1, 'the first delivery');
    await broker.deadLetter(log.delivery(0), { code: 'REJECTED', message: 'for the count' });
    await log.waitForCount(2, 'the second delivery');
    await subscription.cancel();
    const stats = await broker.stats(queue);
    assert.equal(stats.queue, queue);
    assert.deepEqual(
      await counts(broker, queue),
      [2, delayedCount, 1, 1],
      'ready, delayed, inFlight, dead',
    );

    assert.equal(await broker.purge(queue), 2 + delayedCount, 'purge counts what it deleted');
    assert.deepEqual(
      await counts(broker, queue),
      [0, 0, 1, 1],
      'in-flight and dead survive a purge',
    );
    await broker.ack(log.delivery(1));
    assert.deepEqual(await counts(broker, queue), [0, 0, 0, 1]);
  },
};

async function counts(broker: Broker, queue: string): Promise<number[]> {
  const stats: QueueStats = await broker.stats(queue);
  return [stats.ready, stats.delayed, stats.inFlight, stats.dead];
}
