/**
 * The conformance suites give every case a namespace of its own on the shared Redis
 * (`stem-conf-<id>`). `forgetConformanceKeys()` returns a `track` to call from each
 * suite's `open`, and deletes every key of the tracked namespaces after the file's tests,
 * so test runs do not pile keys up on the server. Only this file's namespaces: other
 * files run at the same time on the same server.
 */
import { requireService, testServiceUrl } from '@stem/testing';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';

export function forgetConformanceKeys(): (namespace: string) => string {
  const namespaces = new Set<string>();
  afterAll(async () => {
    if (namespaces.size === 0) return;
    await requireService('redis');
    const raw = new Redis(testServiceUrl('redis'));
    try {
      // One pass over the keyspace for all of them, not one SCAN per namespace.
      let cursor = '0';
      do {
        const [next, keys] = await raw.scan(cursor, 'MATCH', 'stem-conf-*', 'COUNT', 1_000);
        cursor = next;
        const ours = keys.filter((key) => namespaces.has(key.slice(0, key.indexOf(':'))));
        if (ours.length > 0) await raw.unlink(...ours);
      } while (cursor !== '0');
    } finally {
      await raw.quit();
    }
  });
  return (namespace) => {
    namespaces.add(namespace);
    return namespace;
  };
}
