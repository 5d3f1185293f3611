// The reclaimer runs XAUTOCLAIM with the lease end written into each pending entry's
// delivery time. These cases check that it walks the whole pending list with the cursor
// (not just the first COUNT page), that it counts what it reclaims, and that an extended
// lease is never reclaimed by another process.
import { randomUUID } from 'node:crypto';
import type { Delivery } from '@stem/core';
import { RedisBroker } from '@stem/redis';
import {
  conformanceEnvelope,
  eventually,
  requireService,
  sleep,
  testServiceUrl,
} from '@stem/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';

const namespace = `stem-test-${randomUUID().slice(0, 8)}`;
const opened: RedisBroker[] = [];
let raw: Redis;

function open(): RedisBroker {
  const broker = new RedisBroker({ url: testServiceUrl('redis'), namespace });
  opened.push(broker);
  return broker;
}

beforeAll(async () => {
  await requireService('redis');
  raw = new Redis(testServiceUrl('redis'));
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((broker) => broker.close()));
});
afterAll(async () => {
  const keys = await raw.keys(`${namespace}:*`);
  if (keys.length > 0) await raw.unlink(...keys);
  await raw.quit();
});

it('reclaims lapsed leases that sit behind many pages of live ones in the pending list', async () => {
  const queue = 'reclaim.deep';
  const LIVE = 1_000;
  const LAPSED = 30;
  const holder = open();
  const live: Delivery[] = [];
  for (let index = 0; index < LIVE; index += 1) {
    await holder.publish(conformanceEnvelope(queue, { args: index }));
  }
  await holder.consume({ queue, prefetch: LIVE, leaseMs: 60_000 }, (d) => live.push(d));
  await eventually('the live leases', () => live.length === LIVE);

  // A second process takes the newest messages with short leases, then dies.
  const dying = open();
  const abandoned: Delivery[] = [];
  for (let index = 0; index < LAPSED; index += 1) {
    await dying.publish(conformanceEnvelope(queue, { args: `lapsed-${index}` }));
  }
  const taking = await dying.consume({ queue, prefetch: LAPSED, leaseMs: 300 }, (d) =>
    abandoned.push(d),
  );
  await eventually('the short leases', () => abandoned.length === LAPSED);
  await taking.cancel();

  // A consumer with room for 5 claims 5 per XAUTOCLAIM call, which scans 50 entries.
  const rescuer = open();
  const rescued: Delivery[] = [];
  await rescuer.consume({ queue, prefetch: 5, leaseMs: 60_000 }, (delivery) => {
    rescued.push(delivery);
    void rescuer.ack(delivery);
  });
  await eventually('every lapsed message reclaimed', () => rescued.length === LAPSED, 10_000);
  await sleep(200);

  expect(rescued).toHaveLength(LAPSED);
  expect(rescued.map((d) => d.messageId).sort()).toEqual(abandoned.map((d) => d.messageId).sort());
  expect(rescued.every((d) => d.deliveryCount === 2)).toBe(true);
  for (const delivery of abandoned) {
    const leaseEnd = delivery.leaseExpiresAt;
    const taken = rescued.find((r) => r.messageId === delivery.messageId);
    expect(taken!.leaseExpiresAt - 60_000).toBeGreaterThanOrEqual(leaseEnd);
  }
  const stats = await rescuer.stats(queue);
  expect([stats.ready, stats.inFlight]).toEqual([0, LIVE]);
});

it('never reclaims a lease that its holder keeps extending, even from another process', async () => {
  const queue = 'reclaim.extended';
  const holder = open();
  const other = open();
  await holder.publish(conformanceEnvelope(queue));
  const held: Delivery[] = [];
  const holding = await holder.consume({ queue, prefetch: 1, leaseMs: 200 }, (d) => held.push(d));
  await eventually('the delivery', () => held.length === 1);
  const taken: Delivery[] = [];
  await other.consume({ queue, prefetch: 1, leaseMs: 10_000 }, (d) => taken.push(d));

  const stopAt = Date.now() + 1_200;
  while (Date.now() < stopAt) {
    await holder.extendLease(held[0]!, 400);
    await sleep(100);
  }
  expect(taken).toEqual([]);
  expect(held).toHaveLength(1);
  // Once the holder stops (and so stops extending), the other process gets it, counted.
  await holding.cancel();
  await eventually('the takeover after the last extension', () => taken.length === 1, 5_000);
  expect(taken[0]!.deliveryCount).toBe(2);
  await other.ack(taken[0]!);
});
