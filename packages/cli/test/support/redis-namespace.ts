/** A fresh Redis namespace per test file, its URL, and a way to list and delete its keys. */
import { randomUUID } from 'node:crypto';
import { createRedisClient } from '@stem/redis';
import { requireService, testServiceUrl } from '@stem/testing';

export class RedisNamespace {
  readonly namespace = `stem-cli-test-${randomUUID().slice(0, 8)}`;
  readonly #client = createRedisClient(testServiceUrl('redis'));

  static async open(): Promise<RedisNamespace> {
    await requireService('redis');
    return new RedisNamespace();
  }

  /** The URL commands get with --broker-url. */
  get url(): string {
    const base = new URL(testServiceUrl('redis'));
    base.searchParams.set('namespace', this.namespace);
    return base.href;
  }

  /** Every key under the namespace (the broker and stores prefix all of theirs with it). */
  async keys(): Promise<string[]> {
    const [own, tagged] = await Promise.all([
      this.#client.keys(`${this.namespace}:*`),
      this.#client.keys(`*${this.namespace}*`),
    ]);
    return [...new Set([...own, ...tagged])];
  }

  async close(): Promise<void> {
    const keys = await this.keys();
    if (keys.length > 0) await this.#client.unlink(...keys);
    await this.#client.quit();
  }
}
