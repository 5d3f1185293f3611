// XGROUP DELCONSUMER strands the pending entries of the consumer it deletes, so pruning
// must delete only consumers that hold nothing. A consumer that died holding messages
// keeps them until the reclaimer hands them to a live consumer.
import type { Delivery } from '@stem/core';
import { queueKey, RedisBroker } from '@stem/redis';
import { conformanceEnvelope, eventually, testServiceUrl } from '@stem/testing';
import { expect, it } from 'vitest';
import { redisTestNamespace } from './support/redis-test-namespace';

const { namespace, raw } = redisTestNamespace();

async function consumerNames(stream: string): Promise<Map<string, number>> {
  const rows = (await raw.xinfo('CONSUMERS', stream, 'stem')) as Array<Array<string | number>>;
  const names = new Map<string, number>();
  for (const row of rows) names.set(String(row[1]), Number(row[3]));
  return names;
}

it('prunes idle consumers with empty pending lists and keeps those holding messages', async () => {
  const queue = 'prune.consumers';
  const stream = queueKey(namespace, queue, 'stream:0');
  const broker = new RedisBroker({ url: testServiceUrl('redis'), namespace });
  try {
    for (let index = 0; index < 6; index += 1) {
      await broker.publish(conformanceEnvelope(queue, { args: index }));
    }
    // One consumer takes 3 and stops without settling them (leases of 2 s).
    const kept: Delivery[] = [];
    const holding = await broker.consume({ queue, prefetch: 3, leaseMs: 2_000 }, (d) =>
      kept.push(d),
    );
    await eventually('3 held', () => kept.length === 3);
    await holding.cancel();
    // Another takes the other 3 and acks them all.
    const done: Delivery[] = [];
    const acking = await broker.consume({ queue, prefetch: 3, leaseMs: 20_000 }, (d) => {
      done.push(d);
      void broker.ack(d);
    });
    await eventually('3 acked', async () => (await broker.stats(queue)).inFlight === 3);
    await acking.cancel();

    const before = await consumerNames(stream);
    expect([...before.values()].sort()).toEqual([0, 3]);
    const { consumersRemoved } = await broker.maintainQueue(queue, { idleConsumerMs: 0 });
    expect(consumersRemoved).toBe(1);
    const after = await consumerNames(stream);
    expect([...after.values()]).toEqual([3]);

    // The kept messages are still pending and come back after their leases.
    const rescued: Delivery[] = [];
    await broker.consume({ queue, prefetch: 5, leaseMs: 20_000 }, (d) => rescued.push(d));
    await eventually('the kept messages redelivered', () => rescued.length === 3, 8_000);
    expect(rescued.map((d) => d.messageId).sort()).toEqual(kept.map((d) => d.messageId).sort());
    // Once their holder has nothing left, it may go.
    await broker.maintainQueue(queue, { idleConsumerMs: 0 });
    expect([...(await consumerNames(stream)).values()]).toEqual([3]);
  } finally {
    await broker.close();
  }
});
