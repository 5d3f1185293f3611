/**
 * A namespace of its own for one test file on the shared Redis, with a raw client for
 * looking at keys. Registers the file's hooks: the server is required (a clear failure
 * when it is missing, never a skip), and every key of the namespace is deleted after the
 * file's tests.
 */
import { randomUUID } from 'node:crypto';
import { requireService, testServiceUrl } from '@stem/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';

export function redisTestNamespace(): { namespace: string; raw: Redis } {
  const namespace = `stem-test-${randomUUID().slice(0, 8)}`;
  // Connects on first use, after requireService has checked the server.
  const raw = new Redis(testServiceUrl('redis'), { lazyConnect: true });
  beforeAll(async () => {
    await requireService('redis');
  });
  afterAll(async () => {
    const keys = await raw.keys(`${namespace}:*`);
    if (keys.length > 0) await raw.unlink(...keys);
    await raw.quit();
  });
  return { namespace, raw };
}
