// Revocations live on the server: a store opened after every other one closed (a
// restarted worker) still sees them, in revocation order, without the lapsed ones.
import { randomUUID } from 'node:crypto';
import type { Revocation } from '@stem/core';
import { RedisRevocationStore } from '@stem/redis';
import { requireService, sleep, testServiceUrl } from '@stem/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const url = testServiceUrl('redis');
const namespace = `zz-rstores-revoke-${randomUUID().slice(0, 8)}`;

function revocation(taskId: string, lifetimeMs: number): Revocation {
  const revokedAt = Date.now();
  return {
    taskId,
    reason: `stop ${taskId}`,
    terminate: taskId.endsWith('!'),
    revokedAt,
    expiresAt: revokedAt + lifetimeMs,
  };
}

beforeAll(() => requireService('redis'));
afterAll(async () => {
  const client = new Redis(url);
  const keys = await client.keys(`${namespace}:*`);
  if (keys.length > 0) await client.del(...keys);
  await client.quit();
});

describe('RedisRevocationStore', () => {
  it('keeps revocations across restarts, in order, until they lapse', async () => {
    const before = new RedisRevocationStore({ url, namespace });
    const first = revocation('task-a', 60_000);
    const brief = revocation('task-b', 300);
    const second = revocation('task-c!', 60_000);
    await before.revoke(first);
    await before.revoke(brief);
    await before.revoke(second);
    const again = { ...first, reason: 'revoked twice' };
    await before.revoke(again);
    await before.close();

    const after = new RedisRevocationStore({ url, namespace });
    try {
      expect(await after.get('task-c!')).toEqual(second);
      expect(await after.get('task-never')).toBeUndefined();
      expect((await after.list()).map((item) => item.taskId)).toEqual([
        'task-b',
        'task-c!',
        'task-a',
      ]);
      expect((await after.list())[2]).toEqual(again);

      await sleep(400);
      expect(await after.get('task-b')).toBeUndefined();
      expect((await after.list()).map((item) => item.taskId)).toEqual(['task-c!', 'task-a']);
      // The next revoke drops lapsed entries from the server, not only from answers.
      await after.revoke(revocation('task-d', 60_000));
      const client = new Redis(url);
      try {
        expect(
          await client.hexists(`${namespace}:{revocations:${namespace}}:by-task`, 'task-b'),
        ).toBe(0);
      } finally {
        await client.quit();
      }
    } finally {
      await after.close();
    }
  });
});
