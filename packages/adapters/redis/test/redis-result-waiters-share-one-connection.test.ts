// RedisResultBackend's waiters: however many wait, one instance holds one subscriber
// connection beside its client; each waiter's channel is dropped once it settles; the
// record arrives with the notification; JSON round-trips exactly through the scripts.
import { randomUUID } from 'node:crypto';
import type { ResultRecord } from '@stem/core';
import { RedisResultBackend } from '@stem/redis';
import { eventually, requireService, testServiceUrl } from '@stem/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const url = testServiceUrl('redis');
const namespace = `zz-rstores-results-${randomUUID().slice(0, 8)}`;
const WAITERS = 25;
let admin: Redis;

function record(
  taskId: string,
  status: ResultRecord['status'],
  payload?: ResultRecord['payload'],
): ResultRecord {
  return {
    taskId,
    status,
    ...(payload === undefined ? {} : { payload }),
    meta: { taskName: 'results.test' },
    updatedAt: Date.now(),
  };
}

async function connectionsNamed(name: string): Promise<number> {
  const list = (await admin.client('LIST')) as string;
  return list.split('\n').filter((line) => line.includes(` name=${name} `)).length;
}

beforeAll(async () => {
  await requireService('redis');
  admin = new Redis(url);
});
afterAll(async () => {
  const keys = await admin.keys(`${namespace}:*`);
  if (keys.length > 0) await admin.del(...keys);
  await admin.quit();
});

describe('RedisResultBackend waiters', () => {
  it('share one subscriber connection and unsubscribe once settled', async () => {
    const name = `zz-rstores-${randomUUID().slice(0, 8)}`;
    const client = new Redis(url, { connectionName: name });
    const waiter = new RedisResultBackend({ client, namespace });
    const worker = new RedisResultBackend({ url, namespace });
    try {
      const ids = Array.from({ length: WAITERS }, (_, index) => `multiplexed-${index}`);
      const waits = ids.map((taskId) => waiter.waitFor(taskId, { timeoutMs: 10_000 }));
      const channels = ids.map((taskId) => `${namespace}:result-done:${taskId}`);
      await eventually('every waiter subscribed', async () => {
        const counts = (await admin.pubsub('NUMSUB', ...channels)) as Array<string | number>;
        return counts.filter((_, index) => index % 2 === 1).every((count) => Number(count) === 1);
      });
      expect(await connectionsNamed(name)).toBe(2);

      // The record travels with the notification: forgetting it at once loses nothing.
      for (const taskId of ids) {
        await worker.set(record(taskId, 'SUCCESS', { taskId }));
        await worker.forget(taskId);
      }
      const records = await Promise.all(waits);
      expect(records.map((settled) => settled.payload)).toEqual(ids.map((taskId) => ({ taskId })));
      await eventually('every channel unsubscribed', async () => {
        const counts = (await admin.pubsub('NUMSUB', ...channels)) as Array<string | number>;
        return counts.filter((_, index) => index % 2 === 1).every((count) => Number(count) === 0);
      });

      await waiter.close();
      await eventually(
        'the subscriber connection closed',
        async () => (await connectionsNamed(name)) === 1,
      );
      expect(await client.ping()).toBe('PONG');
    } finally {
      await waiter.close();
      await worker.close();
      await client.quit();
    }
  });

  it('rejects pending waits with CLOSED when it closes', async () => {
    const backend = new RedisResultBackend({ url, namespace });
    const waiting = backend.waitFor('never-finishes');
    const outcome = waiting.then(
      () => undefined,
      (error: unknown) => error,
    );
    await backend.close();
    expect(await outcome).toMatchObject({ code: 'CLOSED' });
  });

  it('stores JSON exactly: no number rounding, empty arrays stay arrays', async () => {
    const backend = new RedisResultBackend({ url, namespace });
    try {
      const payload = { third: 1 / 3, big: 2 ** 53 - 1, empty: [], nested: { list: [[], {}] } };
      await backend.set(record('exact', 'STARTED'));
      await backend.updateMeta('exact', {
        progress: { fraction: 0.1 + 0.2, info: [], reportedAt: 1 },
      });
      await backend.updateMeta('exact', { taskName: undefined, attempt: 2 });
      const stored = await backend.get('exact');
      expect(stored?.meta).toEqual({
        progress: { fraction: 0.1 + 0.2, info: [], reportedAt: 1 },
        attempt: 2,
      });
      await backend.set(record('exact', 'SUCCESS', payload));
      expect((await backend.get('exact'))?.payload).toEqual(payload);
      await expect(backend.updateMeta('absent', { attempt: 1 })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    } finally {
      await backend.close();
    }
  });

  it('refuses group members outside the group and groups never created', async () => {
    const backend = new RedisResultBackend({ url, namespace });
    try {
      await backend.initGroup({ groupId: 'small', size: 2 });
      await expect(
        backend.addGroupResult({ groupId: 'small', index: 2, record: record('m', 'SUCCESS') }),
      ).rejects.toThrow(RangeError);
      await expect(
        backend.addGroupResult({ groupId: 'missing', index: 0, record: record('m', 'SUCCESS') }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await backend.getGroup('small')).toEqual({
        groupId: 'small',
        size: 2,
        completed: 0,
        results: [undefined, undefined],
      });
    } finally {
      await backend.close();
    }
  });
});
