// Result records are one string of NUL-joined fields. Earlier versions kept each record
// as a hash of the same fields: such a record must still be read, merged into, and
// protected from a late non-terminal write, until the next write replaces it.
import { RedisResultBackend } from '@stem/redis';
import { testServiceUrl } from '@stem/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { redisTestNamespace } from './support/redis-test-namespace';

const { namespace, raw } = redisTestNamespace();
let backend: RedisResultBackend;
beforeAll(() => {
  backend = new RedisResultBackend({ url: testServiceUrl('redis'), namespace });
});
afterAll(async () => {
  await backend?.close();
});

/** A record as an earlier version stored it: a hash, one field per part. */
async function writeHashRecord(taskId: string, status: string, payload?: unknown): Promise<void> {
  const core = { taskId, status, ...(payload === undefined ? {} : { payload }) };
  await raw.hset(`${namespace}:result:${taskId}`, {
    status,
    record: JSON.stringify(core),
    updatedAt: '1700000000000',
    'meta:taskName': JSON.stringify('legacy.task'),
    'meta:attempt': '1',
  });
}

it('reads a record stored as a hash', async () => {
  await writeHashRecord('hash-read', 'SUCCESS', { total: 3 });
  expect(await backend.get('hash-read')).toEqual({
    taskId: 'hash-read',
    status: 'SUCCESS',
    payload: { total: 3 },
    meta: { taskName: 'legacy.task', attempt: 1 },
    updatedAt: 1_700_000_000_000,
  });
  // waitFor finds it terminal at once.
  expect((await backend.waitFor('hash-read', { timeoutMs: 1_000 })).payload).toEqual({ total: 3 });
});

it('merges meta into a hash record and keeps a terminal one from a late STARTED', async () => {
  await writeHashRecord('hash-merge', 'SUCCESS', 'done');
  await backend.updateMeta('hash-merge', { note: 'checked', taskName: undefined });
  const merged = await backend.get('hash-merge');
  expect(merged?.meta).toEqual({ attempt: 1, note: 'checked' });
  expect(merged?.updatedAt).toBeGreaterThan(1_700_000_000_000);

  await backend.set({
    taskId: 'hash-merge',
    status: 'STARTED',
    meta: { taskName: 'legacy.task', attempt: 2 },
    updatedAt: Date.now(),
  });
  expect((await backend.get('hash-merge'))?.status).toBe('SUCCESS');
  expect(await raw.type(`${namespace}:result:hash-merge`)).toBe('hash');
});

it('replaces a non-terminal hash record with the new form on the next write', async () => {
  await writeHashRecord('hash-replace', 'STARTED');
  await backend.set(
    {
      taskId: 'hash-replace',
      status: 'SUCCESS',
      payload: [1, 2],
      meta: { taskName: 'legacy.task', attempt: 1 },
      updatedAt: Date.now(),
    },
    { ttlMs: 60_000 },
  );
  expect(await raw.type(`${namespace}:result:hash-replace`)).toBe('string');
  expect(await raw.pttl(`${namespace}:result:hash-replace`)).toBeGreaterThan(50_000);
  expect(await backend.get('hash-replace')).toMatchObject({ status: 'SUCCESS', payload: [1, 2] });
  // A meta update keeps the TTL and every other field.
  await backend.updateMeta('hash-replace', { note: 'later' });
  expect(await raw.pttl(`${namespace}:result:hash-replace`)).toBeGreaterThan(50_000);
  expect(await backend.get('hash-replace')).toMatchObject({
    status: 'SUCCESS',
    payload: [1, 2],
    meta: { taskName: 'legacy.task', attempt: 1, note: 'later' },
  });
});
