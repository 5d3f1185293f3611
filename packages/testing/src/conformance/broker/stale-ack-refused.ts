/**
 * Case: operations are fenced by the lease token. A consumer whose lease ended can no
 * longer ack, nack, extend, release or dead-letter, whether or not someone else has
 * taken the message since.
 */
import assert from 'node:assert/strict';
import type { Broker, Delivery } from '@stem/core';
import { sleep } from '../conformance-case';
import { assertRejectsWithCode } from './assert-rejects-with-code';
import type { BrokerCase } from './broker-case-context';
import { conformanceEnvelope } from './conformance-envelope';
import { DeliveryLog, PATIENCE_MS } from './delivery-log';

const SHORT_LEASE_MS = 300;

export const staleAckRefused: BrokerCase = {
  name: 'stale-ack-refused',
  promise:
    'after a lease ends, every operation with its token fails with LEASE_LOST (whether or not another consumer took the message), and the new holder settles it',
  async run(context) {
    const first = await context.open();
    const second = await context.open();
    const queue = context.queue('fenced');
    await first.publish(conformanceEnvelope(queue));

    const stale = await takeAndAbandon(first, queue);
    const log = new DeliveryLog();
    const taker = await second.consume({ queue, prefetch: 1, leaseMs: 20_000 }, log.handler);
    await log.waitForCount(
      1,
      'the message taken over by the second consumer',
      SHORT_LEASE_MS + PATIENCE_MS,
    );
    const current = log.delivery(0);
    assert.equal(current.messageId, stale.messageId, 'the second consumer holds the same message');
    assert.notEqual(current.leaseToken, stale.leaseToken, 'under a new lease token');

    await assertAllRefused(first, stale, 'the stale holder');
    await second.ack(current);
    await taker.cancel();
    const stats = await second.stats(queue);
    assert.equal(stats.ready + stats.inFlight + stats.dead, 0, "the new holder's ack settled it");

    // Expired but not yet taken by anyone: still refused.
    await first.publish(conformanceEnvelope(queue));
    const lapsed = await takeAndAbandon(first, queue);
    await sleep(Math.max(0, lapsed.leaseExpiresAt - Date.now()) + 200);
    await assertRejectsWithCode(first.ack(lapsed), 'LEASE_LOST', 'an ack after the lease ended');
    const after = await first.stats(queue);
    assert.equal(after.inFlight + after.dead, 0, 'the refused ack settled nothing');
    assert.equal(after.ready, 1, 'the message is ready again');
  },
};

/** Takes one delivery with a short lease, then stops consuming without settling it. */
async function takeAndAbandon(broker: Broker, queue: string): Promise<Delivery> {
  const log = new DeliveryLog();
  const subscription = await broker.consume(
    { queue, prefetch: 1, leaseMs: SHORT_LEASE_MS },
    log.handler,
  );
  await log.waitForCount(1, 'a delivery to abandon');
  await subscription.cancel();
  return log.delivery(0);
}

async function assertAllRefused(broker: Broker, stale: Delivery, who: string): Promise<void> {
  await assertRejectsWithCode(broker.ack(stale), 'LEASE_LOST', `ack by ${who}`);
  await assertRejectsWithCode(broker.nack(stale), 'LEASE_LOST', `nack by ${who}`);
  await assertRejectsWithCode(
    broker.extendLease(stale, 10_000),
    'LEASE_LOST',
    `extendLease by ${who}`,
  );
  await assertRejectsWithCode(broker.release(stale), 'LEASE_LOST', `release by ${who}`);
  await assertRejectsWithCode(
    broker.deadLetter(stale, { code: 'REJECTED', message: 'stale' }),
    'LEASE_LOST',
    `deadLetter by ${who}`,
  );
}
