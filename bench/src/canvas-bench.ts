/**
 * `pnpm bench canvas`: a chord of 10,000 members on Redis (two in-process workers),
 * from apply to the callback's result, against the same 10,000 tasks enqueued one by
 * one and awaited without a chord: the ratio is what the chord's group counter and
 * callback cost on top of the tasks themselves.
 */
import { randomUUID } from 'node:crypto';
import { applyCanvas, canvasContinuations, chord, map, signature } from '@stem/canvas';
import { defineTask, Stem } from '@stem/core';
import {
  createRedisClient,
  RedisBroker,
  RedisResultBackend,
  RedisRevocationStore,
} from '@stem/redis';
import { Worker } from '@stem/worker';

const double = defineTask({ name: 'bench.canvas-double', run: (n: number) => n * 2 });
const sum = defineTask({
  name: 'bench.canvas-sum',
  run: (values: number[]) => values.reduce((total, value) => total + value, 0),
});

export async function canvasBench(members: number): Promise<string[]> {
  const url = process.env.STEM_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const namespace = `stem-bench-canvas-${randomUUID().slice(0, 8)}`;
  const client = createRedisClient(url);
  const adapters = {
    broker: new RedisBroker({ client, namespace }),
    resultBackend: new RedisResultBackend({ client, namespace }),
    revocationStore: new RedisRevocationStore({ client, namespace }),
  };
  const workers = [1, 2].map(
    () =>
      new Worker({
        ...adapters,
        tasks: [double, sum],
        concurrency: 50,
        afterTask: canvasContinuations(adapters),
      }),
  );
  try {
    for (const worker of workers) await worker.start();
    const values = Array.from({ length: members }, (_, index) => index);

    const stem = new Stem({ broker: adapters.broker, resultBackend: adapters.resultBackend });
    const plainStartedAt = performance.now();
    const handles = await Promise.all(values.map((value) => stem.enqueue(double, value)));
    for (const handle of handles) await handle.get({ timeoutMs: 300_000 });
    const plainMs = performance.now() - plainStartedAt;

    const chordStartedAt = performance.now();
    const result = await applyCanvas(adapters, chord(map(double, values), signature(sum)));
    const total = await result.get({ timeoutMs: 300_000 });
    const chordMs = performance.now() - chordStartedAt;
    if (total !== members * (members - 1)) throw new Error(`chord returned ${total}`);
    return [
      `canvas on Redis, ${members} members, 2 workers × concurrency 50`,
      `  chord (apply → callback result)  ${(chordMs / 1000).toFixed(2)} s`,
      `  the same tasks without a chord  ${(plainMs / 1000).toFixed(2)} s`,
      `  ratio (chord / plain)  ${(chordMs / plainMs).toFixed(2)}x`,
    ];
  } finally {
    for (const worker of workers) await worker.close();
    await Promise.allSettled(Object.values(adapters).map((adapter) => adapter.close()));
    const keys = await client.keys(`${namespace}:*`);
    for (let index = 0; index < keys.length; index += 1_000) {
      await client.unlink(...keys.slice(index, index + 1_000));
    }
    await client.quit();
  }
}
