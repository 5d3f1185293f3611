// RedisScheduleStore writes: entry JSON round-trips exactly (it is never re-encoded by
// Lua's cjson), store-owned fields cannot be patched, and concurrent unversioned
// updates from several processes all land, each as its own version.
import { randomUUID } from 'node:crypto';
import type { NewScheduleEntry } from '@stem/core';
import { RedisScheduleStore } from '@stem/redis';
import { requireService, testServiceUrl } from '@stem/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const url = testServiceUrl('redis');
const namespace = `zz-rstores-sched-${randomUUID().slice(0, 8)}`;
const UPDATERS = 12;
const opened: RedisScheduleStore[] = [];

function open(): RedisScheduleStore {
  const store = new RedisScheduleStore({ url, namespace });
  opened.push(store);
  return store;
}

function entry(id: string, overrides: Partial<NewScheduleEntry> = {}): NewScheduleEntry {
  return {
    id,
    taskName: 'schedule.test',
    spec: { kind: 'interval', everyMs: 1_000 },
    args: { third: 1 / 3, largest: Number.MAX_SAFE_INTEGER, empty: [], nested: [{}, []] },
    enabled: true,
    timezone: 'UTC',
    jitterMs: 0,
    jitterMode: 'deterministic',
    missedRunPolicy: { kind: 'all', maxRuns: 3 },
    overlapPolicy: 'skip',
    ...overrides,
  };
}

beforeAll(() => requireService('redis'));
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});
afterAll(async () => {
  const client = new Redis(url);
  const keys = await client.keys(`${namespace}:*`);
  if (keys.length > 0) await client.del(...keys);
  await client.quit();
});

describe('RedisScheduleStore writes', () => {
  it('keep JSON exact and ignore store-owned fields in a patch', async () => {
    const store = open();
    const created = await store.create(entry('exact', { nextRunAt: 1_000, lastError: 'old' }));
    expect(await open().get('exact')).toEqual(created);

    const patched = await store.update('exact', {
      lastError: undefined,
      nextRunAt: undefined,
      driftMs: 0.1 + 0.2,
      updatedAt: 5,
      ...({ version: 99, createdAt: 7, id: 'renamed' } as object),
    });
    expect(patched).toMatchObject({
      id: 'exact',
      version: 2,
      createdAt: created.createdAt,
      driftMs: 0.1 + 0.2,
    });
    expect(patched.updatedAt).toBeGreaterThanOrEqual(created.updatedAt);
    expect('lastError' in patched || 'nextRunAt' in patched).toBe(false);
    expect(await store.get('exact')).toEqual(patched);
    expect(await store.get('renamed')).toBeUndefined();
    expect(await store.due(Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
  });

  it('apply every concurrent unversioned update exactly once', async () => {
    const stores = [open(), open(), open()];
    await stores[0]!.create(entry('contended'));
    const versions = await Promise.all(
      Array.from({ length: UPDATERS }, (_, index) =>
        stores[index % stores.length]!.update('contended', { lastJitterMs: index }),
      ),
    );
    expect(versions.map((updated) => updated.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: UPDATERS }, (_, index) => index + 2),
    );
    expect((await stores[0]!.get('contended'))?.version).toBe(UPDATERS + 1);
  });
});
