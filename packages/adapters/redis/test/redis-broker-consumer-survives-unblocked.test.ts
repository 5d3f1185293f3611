// A consumer's blocking XREAD is broken off with an UNBLOCKED error (what a failover
// does to blocked clients). The client reconnects and the consumer keeps delivering,
// without a restart.
import type { Delivery } from '@stem/core';
import { queueKey, RedisBroker } from '@stem/redis';
import { conformanceEnvelope, eventually, testServiceUrl } from '@stem/testing';
import { expect, it } from 'vitest';
import { redisTestNamespace } from './support/redis-test-namespace';

const { namespace, raw } = redisTestNamespace();

/** The CLIENT LIST line of the blocking connection named for `consumer`, if connected. */
async function blockingClient(consumer: string): Promise<string | undefined> {
  const list = (await raw.client('LIST')) as string;
  return list.split('\n').find((line) => line.includes(` name=stem-broker:${consumer} `));
}

it('keeps consuming after its blocking read is cut with UNBLOCKED', async () => {
  const queue = 'unblocked';
  const broker = new RedisBroker({ url: testServiceUrl('redis'), namespace });
  try {
    const received: Delivery[] = [];
    await broker.consume({ queue, prefetch: 5, leaseMs: 20_000 }, (delivery) => {
      received.push(delivery);
      void broker.ack(delivery);
    });
    await broker.publish(conformanceEnvelope(queue, { args: 'before' }));
    await eventually('the first delivery', () => received.length === 1);
    const consumers = (await raw.xinfo(
      'CONSUMERS',
      queueKey(namespace, queue, 'stream:0'),
      'stem',
    )) as string[][];
    const consumer = consumers[0]![1]!;
    let line: string | undefined;
    await eventually('the consumer blocked in XREAD', async () => {
      line = await blockingClient(consumer);
      return line?.includes('cmd=xread') ?? false;
    });
    const id = /\bid=(\d+)/.exec(line!)![1]!;
    expect(await raw.client('UNBLOCK', id, 'ERROR')).toBe(1);

    await broker.publish(conformanceEnvelope(queue, { args: 'after' }));
    await eventually('the delivery after the cut', () => received.length === 2, 10_000);
    expect(received[1]!.envelope.args).toBe('after');
    await eventually('the blocking connection back', async () => {
      const again = await blockingClient(consumer);
      return again !== undefined && !again.includes(`id=${id} `);
    });
  } finally {
    await broker.close();
  }
});
