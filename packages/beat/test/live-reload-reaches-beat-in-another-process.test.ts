// A beat runs in a child process with a 60 s poll interval (so polling cannot explain
// a timely reaction); this process changes schedules through a SchedulerService on its
// own Redis connection and drains the broker queue as the beat publishes. A new entry
// due about 1 s later is published within 1 s of its due time, and a disabled
// every-second entry is not published more than 1 s after the disable returned.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { SchedulerService } from '@stem/beat';
import { RedisBroker, RedisScheduleStore } from '@stem/redis';
import { requireService, testServiceUrl } from '@stem/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';

const QUEUE = 'live-reload';
const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/live-reload-beat-process.ts', import.meta.url));
const luaLoader = fileURLToPath(
  new URL('../../adapters/redis/test/fixtures/lua-text-loader.mjs', import.meta.url),
);
const namespace = `stem-beat-live-reload-${randomUUID().slice(0, 8)}`;
let raw: Redis;
let child: ChildProcess | undefined;

beforeAll(async () => {
  await requireService('redis');
  raw = new Redis(testServiceUrl('redis'));
});
afterAll(async () => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
  }
  const keys = await raw.keys(`${namespace}:*`);
  if (keys.length > 0) await raw.unlink(...keys);
  await raw.quit();
});

function spawnBeat(): Promise<ChildProcess> {
  const args = ['--import', 'tsx', '--import', luaLoader, fixture, testServiceUrl('redis')];
  args.push(namespace);
  const spawned = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.base.json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = spawned;
  let output = '';
  spawned.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    spawned.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) resolve(spawned);
    });
    spawned.once('exit', (code, signal) =>
      reject(new Error(`beat exited (${code ?? signal}): ${output}`)),
    );
  });
}

interface Received {
  entryId: string;
  scheduledAt: number;
  at: number;
}

it(
  'changes made in this process reach a sleeping beat in another process within 1 s',
  { timeout: 30_000 },
  async () => {
    const url = testServiceUrl('redis');
    const beat = await spawnBeat();
    const store = new RedisScheduleStore({ url, namespace });
    const broker = new RedisBroker({ url, namespace });
    const service = new SchedulerService({ store });
    const received: Received[] = [];
    const subscription = await broker.consume({ queue: QUEUE, prefetch: 50 }, async (delivery) => {
      const { headers } = delivery.envelope;
      received.push({
        entryId: String(headers['stem-beat-entry']),
        scheduledAt: Number(headers['stem-beat-scheduled-at']),
        at: Date.now(),
      });
      await broker.ack(delivery);
    });
    try {
      // Let the beat read the empty store and fall asleep on its 60 s poll.
      await new Promise((resolve) => setTimeout(resolve, 500));

      const runAt = Date.now() + 1_000;
      await service.create({
        id: 'once',
        taskName: 't',
        queue: QUEUE,
        spec: { kind: 'clocked', runAt },
        args: null,
      });
      await waitFor(() => received.some((r) => r.entryId === 'once'), 5_000);
      const once = received.find((r) => r.entryId === 'once')!;
      expect(once.scheduledAt).toBe(runAt);
      expect(once.at - runAt).toBeLessThan(1_000);

      await service.create({
        id: 'tick',
        taskName: 't',
        queue: QUEUE,
        spec: { kind: 'cron', expression: '* * * * * *' },
        args: null,
      });
      await waitFor(() => received.filter((r) => r.entryId === 'tick').length >= 2, 5_000);
      await service.disable('tick', { reason: 'live-reload test' });
      const disabledAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      // The occurrence in flight when the disable landed may still arrive; nothing later.
      const late = received.filter((r) => r.entryId === 'tick' && r.at > disabledAt + 1_000);
      expect(late).toEqual([]);
      const scheduledLate = received.filter(
        (r) => r.entryId === 'tick' && r.scheduledAt > disabledAt + 1_000,
      );
      expect(scheduledLate).toEqual([]);
      expect(received.filter((r) => r.entryId === 'once')).toHaveLength(1);
    } finally {
      await subscription.cancel();
      const exited = new Promise((resolve) => beat.once('exit', resolve));
      beat.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      await store.close();
      await broker.close();
    }
  },
);

async function waitFor(check: () => boolean, withinMs: number): Promise<void> {
  const until = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
