/** Case: a consumer never holds more unsettled deliveries than its prefetch. */
import assert from 'node:assert/strict';
import { sleep } from '../conformance-case';
import type { BrokerCase } from './broker-case-context';
import { conformanceEnvelope } from './conformance-envelope';
import { DeliveryLog } from './delivery-log';

const PREFETCH = 3;
const PUBLISHED = 10;
/** Time given to a broker to (wrongly) push more deliveries. */
const SETTLE_MS = 200;

export const prefetchBoundHolds: BrokerCase = {
  name: 'prefetch-bound-holds',
  promise:
    'a consumer receives at most `prefetch` deliveries until it settles one, then exactly one more',
  async run(context) {
    const broker = await context.open();
    const queue = context.queue('prefetch');
    for (let index = 0; index < PUBLISHED; index += 1) {
      await broker.publish(conformanceEnvelope(queue, { args: index }));
    }
    const log = new DeliveryLog();
    await broker.consume({ queue, prefetch: PREFETCH, leaseMs: 20_000 }, log.handler);
    await log.waitForCount(PREFETCH, 'the first prefetch window');
    await sleep(SETTLE_MS);
    assert.equal(log.count, PREFETCH, `exactly ${PREFETCH} delivered while none is settled`);
    const stats = await broker.stats(queue);
    assert.equal(stats.inFlight, PREFETCH, 'stats count the held deliveries as in flight');
    assert.equal(stats.ready, PUBLISHED - PREFETCH, 'the rest wait as ready');

    await broker.ack(log.delivery(0));
    await log.waitForCount(PREFETCH + 1, 'one more delivery after an ack');
    await sleep(SETTLE_MS);
    assert.equal(log.count, PREFETCH + 1, 'one ack frees exactly one slot');

    await broker.release(log.delivery(1));
    await log.waitForCount(PREFETCH + 2, 'one more delivery after a release');
    await sleep(SETTLE_MS);
    assert.equal(log.count, PREFETCH + 2, 'one release frees exactly one slot');
  },
};
