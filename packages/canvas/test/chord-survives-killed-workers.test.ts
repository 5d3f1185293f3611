// Chords whose members run in worker processes on Redis, with real SIGKILLs: one of two
// workers killed mid-way, and a lone worker killed at the worst moments (right after it
// won the callback claim; after publishing the callback, before the ack). Each time the
// callback runs exactly once, with every member's result.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { applyCanvas, chord, map, signature } from '@stem/canvas';
import { defineTask } from '@stem/core';
import {
  createRedisClient,
  RedisBroker,
  RedisEventBus,
  RedisResultBackend,
  RedisRevocationStore,
} from '@stem/redis';
import { eventually, requireService, sleep, testServiceUrl } from '@stem/testing';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { deleteNamespace } from './support/canvas-stack';

const LEASE_MS = 1_000;
const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/canvas-worker-process.ts', import.meta.url));
const luaLoader = fileURLToPath(
  new URL('../../adapters/redis/test/fixtures/lua-text-loader.mjs', import.meta.url),
);
// Producer-side stand-ins with the children's names and types.
const member = defineTask({ name: 'xproc.member', run: (n: number) => n });
const callback = defineTask({ name: 'xproc.callback', run: (values: number[]) => values.length });

const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  await requireService('redis');
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function openProducer() {
  const namespace = `stem-canvas-x-${randomUUID().slice(0, 8)}`;
  const client = createRedisClient(testServiceUrl('redis'));
  const adapters = {
    broker: new RedisBroker({ client, namespace }),
    resultBackend: new RedisResultBackend({ client, namespace }),
    revocationStore: new RedisRevocationStore({ client, namespace }),
    eventBus: new RedisEventBus({ client, namespace }),
  };
  cleanups.push(async () => {
    await Promise.allSettled(Object.values(adapters).map((adapter) => adapter.close()));
    await deleteNamespace(client, namespace);
    await client.quit().catch(() => client.disconnect());
  });
  return { namespace, client, adapters };
}

/** Starts a worker process; resolves once it consumes. */
function spawnWorker(namespace: string, concurrency: number, failpoints?: string) {
  const args = ['--import', 'tsx', '--import', luaLoader, fixture];
  args.push(testServiceUrl('redis'), namespace, String(concurrency), String(LEASE_MS));
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: `${root}tsconfig.base.json`,
      ...(failpoints === undefined ? {} : { STEM_FAILPOINTS: failpoints }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const ready = new Promise<void>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) resolve();
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) early: ${output}`)));
  });
  return { child, ready, exited, output: () => output };
}

it('fires once when one of two workers is SIGKILLed mid-way', { timeout: 40_000 }, async () => {
  const { namespace, client, adapters } = openProducer();
  const size = 300;
  const values = Array.from({ length: size }, (_, index) => index);
  const result = await applyCanvas(adapters, chord(map(member, values), signature(callback)));
  const victim = spawnWorker(namespace, 8);
  const survivor = spawnWorker(namespace, 8);
  await Promise.all([victim.ready, survivor.ready]);
  await eventually(
    'a third of the members reported',
    async () => ((await adapters.resultBackend.getGroup(result.id))?.completed ?? 0) >= size / 3,
    15_000,
  );
  victim.child.kill('SIGKILL');
  await victim.exited;
  expect((await adapters.resultBackend.getGroup(result.id))?.completed).toBeLessThan(size);

  await expect(result.get({ timeoutMs: 25_000 })).resolves.toBe((size * (size - 1)) / 2);
  await sleep(LEASE_MS * 2);
  expect(await client.get(`${namespace}:callback-runs`)).toBe('1');
  expect(await client.get(`${namespace}:callback-count`)).toBe(String(size));
});

it.each([
  ['right after winning the callback claim', 'canvas.after-callback-claim=kill'],
  // Concurrency 1: the 20th continuation is the last member's, which publishes the callback.
  ['after publishing the callback, before the ack', 'canvas.after-continuations=kill@20'],
])(
  'fires once when the deciding worker dies %s',
  { timeout: 30_000 },
  async (_moment, failpoints) => {
    const { namespace, client, adapters } = openProducer();
    const size = 20;
    const values = Array.from({ length: size }, (_, index) => index);
    const result = await applyCanvas(adapters, chord(map(member, values), signature(callback)));
    const crasher = spawnWorker(namespace, 1, failpoints);
    await crasher.ready;
    await crasher.exited;
    expect(crasher.output()).toContain('fired: kill');
    expect((await adapters.resultBackend.getGroup(result.id))?.completed).toBe(size);
    expect(await client.get(`${namespace}:callback-runs`)).toBeNull();

    const rescuer = spawnWorker(namespace, 4);
    await rescuer.ready;
    await expect(result.get({ timeoutMs: 20_000 })).resolves.toBe((size * (size - 1)) / 2);
    await sleep(LEASE_MS * 2);
    expect(await client.get(`${namespace}:callback-runs`)).toBe('1');
  },
);
