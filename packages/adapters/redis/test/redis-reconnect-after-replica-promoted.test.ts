// What a client sees during a failover whose address points at the old replica for a
// moment: READONLY. A producer and a consumer connected to a private replica get
// READONLY for every write; once the replica is promoted (REPLICAOF NO ONE) the same
// publish resolves and the consumer delivers it, without restarting anything here.
import type { Delivery } from '@stem/core';
import { RedisBroker } from '@stem/redis';
import { conformanceEnvelope, eventually, sleep } from '@stem/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LocalRedisServer } from './support/start-redis-server';

const namespace = 'stem-readonly';
const queue = 'readonly';

let primary: LocalRedisServer | undefined;
let replica: LocalRedisServer | undefined;
let admin: Redis | undefined;

beforeAll(async () => {
  // No wait before the full sync (Redis waits 5 s by default for more replicas).
  primary = await LocalRedisServer.start({ args: ['--repl-diskless-sync-delay', '0'] });
  replica = await LocalRedisServer.start({
    args: ['--replicaof', '127.0.0.1', String(primary.port)],
  });
  admin = new Redis(replica.url, { maxRetriesPerRequest: null });
  admin.on('error', () => undefined);
  const replicaAdmin = admin;
  await eventually(
    'the replica to sync with its primary',
    async () =>
      ((await replicaAdmin.call('INFO', 'replication')) as string).includes(
        'master_link_status:up',
      ),
    15_000,
    50,
  );
}, 30_000);
afterAll(async () => {
  admin?.disconnect();
  await replica?.stop();
  await primary?.stop();
});

async function readonlyErrors(client: Redis): Promise<number> {
  const info = (await client.call('INFO', 'errorstats')) as string;
  return Number(/errorstat_READONLY:count=(\d+)/.exec(info)?.[1] ?? 0);
}

it('publishes and consumes once the replica it talks to is promoted', async () => {
  const replicaAdmin = admin!;
  const broker = new RedisBroker({ url: replica!.url, namespace });
  try {
    const received: Delivery[] = [];
    await broker.consume({ queue, prefetch: 5, leaseMs: 10_000 }, (delivery) => {
      received.push(delivery);
    });
    const envelope = conformanceEnvelope(queue, { args: 'written-to-a-replica' });
    let published = false;
    const publishing = broker.publish(envelope).then(() => {
      published = true;
    });
    await eventually('READONLY replies to the clients', async () => {
      return (await readonlyErrors(replicaAdmin)) >= 3;
    });
    await sleep(200);
    expect(published, 'a replica accepted the publish').toBe(false);
    expect(received).toEqual([]);

    await replicaAdmin.call('REPLICAOF', 'NO', 'ONE');
    await publishing;
    await eventually('the delivery after the promotion', () => received.length === 1, 10_000);
    expect(received[0]!.envelope.id).toBe(envelope.id);
    await broker.ack(received[0]!);
    expect(await broker.stats(queue)).toMatchObject({ ready: 0, inFlight: 0, dead: 0 });
    // The message went to the promoted server, not to the old primary.
    const onPrimary = new Redis(primary!.url);
    try {
      expect(await onPrimary.keys(`${namespace}:*`)).toEqual([]);
    } finally {
      onPrimary.disconnect();
    }
  } finally {
    await broker.close();
  }
});
