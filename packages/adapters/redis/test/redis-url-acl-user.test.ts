// An ACL user named in the URL, with a password that needs URL encoding: every adapter
// logs in as that user, and the user may touch only the conformance namespaces' keys and
// channels. The broker, result backend, schedule store and worker suites pass under it,
// which also proves every script names each key it touches (ACLs check them as a
// cluster does). A private server, since the shared one must keep its users.
import {
  createRedisClient,
  REDIS_BROKER_CAPABILITIES,
  RedisBroker,
  RedisResultBackend,
  RedisScheduleStore,
} from '@stem/redis';
import {
  describeBrokerConformance,
  describeResultBackendConformance,
  describeScheduleStoreConformance,
  describeWorkerConformance,
} from '@stem/testing';
import { Worker } from '@stem/worker';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedisWorkerAdapters } from './support/open-redis-worker-adapters';
import { LocalRedisServer } from './support/start-redis-server';

const USER = 'stem-app';
/** `@`, `:` and `/` would end the user-info part of a URL unless encoded. */
const PASSWORD = 'p@ss:w/rd 1';
let server: LocalRedisServer | undefined;

function aclUrl(password = PASSWORD): string {
  if (server === undefined) throw new Error('the private redis-server did not start');
  return `redis://${USER}:${encodeURIComponent(password)}@127.0.0.1:${server.port}`;
}

beforeAll(async () => {
  server = await LocalRedisServer.start();
  const admin = new Redis(server.url);
  try {
    // Keys and channels of the conformance namespaces only, every command on them.
    await admin.call('ACL', 'SETUSER', USER, 'on', `>${PASSWORD}`, '~stem-conf-*');
    await admin.call('ACL', 'SETUSER', USER, '&stem-conf-*', '+@all');
  } finally {
    admin.disconnect();
  }
}, 30_000);
afterAll(async () => {
  await server?.stop();
});

describe('a URL naming an ACL user', () => {
  it('logs in as that user, whose key pattern the server then enforces', async () => {
    const client = createRedisClient(aclUrl());
    try {
      expect(await client.call('ACL', 'WHOAMI')).toBe(USER);
      await client.set('stem-conf-acl:probe', '1');
      await expect(client.set('elsewhere:probe', '1')).rejects.toThrow(/NOPERM/);
    } finally {
      client.disconnect();
    }
  });

  it('with a wrong password fails the call with WRONGPASS instead of waiting', async () => {
    const broker = new RedisBroker({ url: aclUrl('not the password'), namespace: 'stem-conf-x' });
    try {
      await expect(broker.stats('orders')).rejects.toThrow(/WRONGPASS/);
    } finally {
      await broker.close().catch(() => undefined);
    }
  });
});

describeBrokerConformance({
  name: 'redis as an ACL user',
  open: (namespace) => new RedisBroker({ url: aclUrl(), namespace }),
  capabilities: REDIS_BROKER_CAPABILITIES,
});

describeResultBackendConformance({
  name: 'RedisResultBackend as an ACL user',
  open: (namespace) => new RedisResultBackend({ url: aclUrl(), namespace }),
});

describeScheduleStoreConformance({
  name: 'RedisScheduleStore as an ACL user',
  open: (namespace) => new RedisScheduleStore({ url: aclUrl(), namespace }),
});

describeWorkerConformance({
  name: 'redis as an ACL user',
  openAdapters: (namespace) => openRedisWorkerAdapters(aclUrl(), namespace),
  createWorker: (options) => new Worker(options),
});
