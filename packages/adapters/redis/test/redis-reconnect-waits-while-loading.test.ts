// A Redis that is loading its dataset answers LOADING. Two ways to get there on a
// private server (loading slowed by key-load-delay): DEBUG RELOAD under live connections,
// whose commands get LOADING errors and are retried by the client (reconnectOnError),
// and a restart from an RDB file, where reconnecting clients wait for the load to end.
// Either way the producer's publish resolves and the consumer goes on delivering,
// without restarting anything in this process.
import type { Delivery } from '@stem/core';
import { RedisBroker } from '@stem/redis';
import { conformanceEnvelope, eventually } from '@stem/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LocalRedisServer } from './support/start-redis-server';

const namespace = 'stem-loading';
const queue = 'loading';

let server: LocalRedisServer;
let admin: Redis;
let broker: RedisBroker;
const received: unknown[] = [];

/**
 * A plain connection for setup and probes: no ready check (it would hold every command
 * back while the server loads) and no reconnect on LOADING.
 */
function adminClient(): Redis {
  const client = new Redis(server.url, { maxRetriesPerRequest: null, enableReadyCheck: false });
  client.on('error', () => undefined);
  return client;
}

async function loadingErrors(): Promise<number> {
  const info = (await admin.call('INFO', 'errorstats')) as string;
  return Number(/errorstat_LOADING:count=(\d+)/.exec(info)?.[1] ?? 0);
}

async function isLoading(probe: Redis): Promise<boolean> {
  return ((await probe.call('INFO', 'persistence')) as string).includes('loading:1');
}

beforeAll(async () => {
  server = await LocalRedisServer.start({
    args: [
      '--enable-debug-command',
      'yes',
      // Answer clients often while loading, and make loading take about a second.
      '--loading-process-events-interval-bytes',
      '1024',
      '--key-load-delay',
      '25',
    ],
  });
  admin = adminClient();
  await admin.call('DEBUG', 'POPULATE', '10000', 'filler');
  broker = new RedisBroker({ url: server.url, namespace });
  await broker.consume({ queue, prefetch: 10, leaseMs: 10_000 }, (delivery: Delivery) => {
    received.push(delivery.envelope.args);
    void broker.ack(delivery);
  });
  await broker.publish(conformanceEnvelope(queue, { args: 'before' }));
  await eventually('the first delivery', () => received.includes('before'));
}, 20_000);
afterAll(async () => {
  await broker?.close();
  admin?.disconnect();
  await server?.stop();
});

it('retries commands answered LOADING during DEBUG RELOAD on live connections', async () => {
  const errorsBefore = await loadingErrors();
  const probe = adminClient();
  try {
    const reloading = admin.call('DEBUG', 'RELOAD');
    await eventually('the server to be loading', () => isLoading(probe), 10_000, 5);
    let published = false;
    const publishing = broker
      .publish(conformanceEnvelope(queue, { args: 'during-reload' }))
      .then(() => {
        published = true;
      });
    await reloading;
    // Clients look again soon after the load ends, not after the server's loading ETA.
    await eventually('the publish to resolve after the reload', () => published, 5_000);
    await publishing;
  } finally {
    probe.disconnect();
  }
  expect(await loadingErrors(), 'LOADING replies the clients received').toBeGreaterThan(
    errorsBefore,
  );
  await eventually('the delivery published while loading', () =>
    received.includes('during-reload'),
  );
  await broker.publish(conformanceEnvelope(queue, { args: 'after-reload' }));
  await eventually('a delivery after the reload', () => received.includes('after-reload'));
});

it('waits for a restarted server to load its data, then goes on', async () => {
  await admin.call('SAVE');
  admin.disconnect();
  await server.kill();
  const started = await server.restart({ waitReady: false });
  await started.waitForOutput('Loading RDB', 10_000);
  expect(started.output(), 'the server finished loading too early').not.toContain(
    'Ready to accept connections',
  );
  const publishedAt = Date.now();
  await broker.publish(conformanceEnvelope(queue, { args: 'while-loading' }));
  console.info(`publish waited ${Date.now() - publishedAt} ms for the load`);
  expect(started.output()).toContain('Ready to accept connections');
  await eventually('the delivery published while loading', () =>
    received.includes('while-loading'),
  );
  admin = adminClient();
  expect(await admin.dbsize()).toBeGreaterThanOrEqual(10_000);
});
