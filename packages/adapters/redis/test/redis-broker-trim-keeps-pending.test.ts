// Trimming (XTRIM MINID below the oldest pending entry) runs while a consumer holds a
// long pending list and acks half of it: no pending or unread entry may be trimmed, and
// every message left must still be delivered. Redis 7.0 has no XTRIM ... ACKED.
import type { Delivery } from '@stem/core';
import { queueKey, RedisBroker } from '@stem/redis';
import { conformanceEnvelope, eventually, testServiceUrl } from '@stem/testing';
import { expect, it } from 'vitest';
import { redisTestNamespace } from './support/redis-test-namespace';

/**
 * Pending entries held at once: 50,000, about 5 s on a 2-CPU machine. A smaller
 * STEM_TEST_PENDING_ENTRIES is for quick local runs.
 */
const PENDING = Number(process.env.STEM_TEST_PENDING_ENTRIES ?? 50_000);
const UNREAD = 100;
/** Settled entries written the way an older consumer would have left them (acked, not deleted). */
const SETTLED = 20;
const CHUNK = 2_000;

const { namespace, raw } = redisTestNamespace();
const queue = 'trim.pending';

it(
  `trims only settled entries while ${PENDING} entries are pending`,
  { timeout: 60_000 },
  async () => {
    const stream = queueKey(namespace, queue, 'stream:0');
    // Acked-but-not-deleted entries below everything else: what trimming is for.
    await raw.xgroup('CREATE', stream, 'stem', '0', 'MKSTREAM');
    for (let index = 0; index < SETTLED; index += 1)
      await raw.xadd(stream, '*', 'm', 'old', 'c', '0', 'e', '{}');
    const old = (await raw.xreadgroup(
      'GROUP',
      'stem',
      'old-consumer',
      'COUNT',
      SETTLED,
      'STREAMS',
      stream,
      '>',
    )) as Array<[string, Array<[string, string[]]>]>;
    await raw.xack(stream, 'stem', ...old[0]![1].map(([id]) => id));

    const broker = new RedisBroker({ url: testServiceUrl('redis'), namespace });
    try {
      for (let start = 0; start < PENDING; start += CHUNK) {
        const count = Math.min(CHUNK, PENDING - start);
        await Promise.all(
          Array.from({ length: count }, (_, index) =>
            broker.publish(conformanceEnvelope(queue, { args: start + index })),
          ),
        );
      }
      const held: Delivery[] = [];
      const subscription = await broker.consume(
        { queue, prefetch: PENDING, leaseMs: 120_000 },
        (delivery) => held.push(delivery),
      );
      await eventually(`${PENDING} deliveries held`, () => held.length === PENDING, 40_000);
      await subscription.cancel();
      for (let index = 0; index < UNREAD; index += 1)
        await broker.publish(conformanceEnvelope(queue, { args: -1 }));

      // Ack every other delivery while maintenance runs alongside.
      let trimmed = 0;
      let acking = true;
      const maintenance = (async () => {
        while (acking) trimmed += (await broker.maintainQueue(queue)).trimmed;
      })();
      const kept = held.filter((_, index) => index % 2 === 1);
      const acked = held.filter((_, index) => index % 2 === 0);
      for (let start = 0; start < acked.length; start += CHUNK) {
        await Promise.all(
          acked.slice(start, start + CHUNK).map((delivery) => broker.ack(delivery)),
        );
      }
      acking = false;
      await maintenance;
      trimmed += (await broker.maintainQueue(queue)).trimmed;

      // The consumer's own maintenance may have trimmed them first; either way they are gone.
      expect(trimmed).toBeLessThanOrEqual(SETTLED);
      const oldest = (await raw.xrange(stream, '-', '+', 'COUNT', SETTLED)) as Array<
        [string, string[]]
      >;
      expect(oldest.filter(([, fields]) => fields[1] === 'old')).toEqual([]);
      expect(await raw.xlen(stream)).toBe(kept.length + UNREAD);
      const [pendingCount] = (await raw.xpending(stream, 'stem')) as [number];
      expect(pendingCount).toBe(kept.length);
      const stats = await broker.stats(queue);
      expect([stats.ready, stats.inFlight]).toEqual([UNREAD, kept.length]);

      // Every kept message comes back whole once released, as do the unread ones.
      for (let start = 0; start < kept.length; start += CHUNK) {
        await Promise.all(
          kept.slice(start, start + CHUNK).map((delivery) => broker.release(delivery)),
        );
      }
      const again = new Map<string, number>();
      await broker.consume({ queue, prefetch: 1_000, leaseMs: 120_000 }, (delivery) => {
        again.set(delivery.envelope.id, delivery.deliveryCount);
        void broker.ack(delivery);
      });
      await eventually(
        'every kept and unread message delivered',
        () => again.size === kept.length + UNREAD,
        40_000,
      );
      for (const delivery of kept) expect(again.get(delivery.envelope.id)).toBe(1);
      await eventually('the queue drained', async () => (await broker.stats(queue)).inFlight === 0);
      expect(await raw.xlen(stream)).toBe(0);
    } finally {
      await broker.close();
    }
  },
);
