// A reserve that returns many messages hands them to the handler a slice per event-loop
// turn (at least 16, or an eighth of the prefetch window), in order, so the settlements
// of the first ones leave for Redis while the next ones run. Cancelling a consumer gives
// back the ones it had reserved and not yet handed over: another consumer gets them at
// once, not after their leases end.
import type { Delivery } from '@stem/core';
import { RedisBroker } from '@stem/redis';
import { conformanceEnvelope, eventually, testServiceUrl } from '@stem/testing';
import { expect, it } from 'vitest';
import { redisTestNamespace } from './support/redis-test-namespace';

const { namespace } = redisTestNamespace();

async function publishNumbered(broker: RedisBroker, queue: string, count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, (_, index) =>
      broker.publish(conformanceEnvelope(queue, { args: { index } })),
    ),
  );
}

it('hands a large reserve over in order, at most a slice per event-loop turn', async () => {
  const queue = 'slices.order';
  const broker = new RedisBroker({ url: testServiceUrl('redis'), namespace });
  try {
    await publishNumbered(broker, queue, 160);
    // Counts event-loop turns: a check-phase callback that re-arms itself.
    let turn = 0;
    let counting = true;
    const tick = () => {
      turn += 1;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const seen: Array<{ index: number; turn: number }> = [];
    // prefetch 160: one reserve returns all of them; a slice is 160 / 8 = 20.
    const subscription = await broker.consume({ queue, prefetch: 160 }, (delivery) => {
      seen.push({ index: (delivery.envelope.args as { index: number }).index, turn });
    });
    await eventually('all 160 handed over', () => seen.length === 160);
    counting = false;
    expect(seen.map((entry) => entry.index)).toEqual(Array.from({ length: 160 }, (_, i) => i));
    const perTurn = new Map<number, number>();
    for (const entry of seen) perTurn.set(entry.turn, (perTurn.get(entry.turn) ?? 0) + 1);
    expect(Math.max(...perTurn.values())).toBe(20);
    expect(perTurn.size).toBeGreaterThanOrEqual(8);
    await subscription.cancel();
  } finally {
    await broker.close();
  }
});

it('gives back what was reserved and not handed over when cancelled', async () => {
  const queue = 'slices.cancel';
  const producer = new RedisBroker({ url: testServiceUrl('redis'), namespace });
  const first = new RedisBroker({ url: testServiceUrl('redis'), namespace });
  const second = new RedisBroker({ url: testServiceUrl('redis'), namespace });
  try {
    await publishNumbered(producer, queue, 64);
    const held: Delivery[] = [];
    let cancelled: Promise<void> | undefined;
    // A slice is 16 here: the consumer cancels while handling its first delivery, so 48
    // reserved deliveries were never handed to it.
    const subscription = await first.consume({ queue, prefetch: 64, leaseMs: 60_000 }, (d) => {
      held.push(d);
      if (held.length === 1) cancelled = subscription.cancel();
    });
    await eventually('the first consumer cancelled', () => cancelled !== undefined);
    await cancelled;
    expect(held).toHaveLength(16);

    const taken: number[] = [];
    const other = await second.consume({ queue, prefetch: 64, leaseMs: 60_000 }, (d) => {
      taken.push((d.envelope.args as { index: number }).index);
    });
    // Leases of a minute: only a hand-back makes them available this soon.
    await eventually('the 48 handed back are delivered again', () => taken.length === 48);
    expect(taken.sort((a, b) => a - b)).toEqual(Array.from({ length: 48 }, (_, i) => i + 16));
    await other.cancel();
  } finally {
    await Promise.all([producer.close(), first.close(), second.close()]);
  }
});
