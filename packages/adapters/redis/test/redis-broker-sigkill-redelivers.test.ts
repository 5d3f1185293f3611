// A consumer process holding 50 messages is SIGKILLed (no cleanup runs). Its leases lapse
// and the reclaimer hands all 50 to a live consumer, each counted as a second delivery,
// and they are completed.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Delivery } from '@stem/core';
import { RedisBroker } from '@stem/redis';
import { conformanceEnvelope, eventually, requireService, testServiceUrl } from '@stem/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';

const HOLD = 50;
const CHILD_LEASE_MS = 1_000;
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const namespace = `stem-test-${randomUUID().slice(0, 8)}`;
let raw: Redis;
let child: ChildProcess | undefined;

beforeAll(async () => {
  await requireService('redis');
  raw = new Redis(testServiceUrl('redis'));
});
afterAll(async () => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  const keys = await raw.keys(`${namespace}:*`);
  if (keys.length > 0) await raw.unlink(...keys);
  await raw.quit();
});

/** Spawns the holder and resolves once it prints that it holds every message. */
function spawnHolder(queue: string): Promise<ChildProcess> {
  const args = ['--import', 'tsx', '--import', fixture('lua-text-loader.mjs')];
  args.push(fixture('hold-messages-until-killed.ts'), testServiceUrl('redis'), namespace, queue);
  args.push(String(HOLD), String(CHILD_LEASE_MS));
  const spawned = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.base.json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = spawned;
  return new Promise((resolve, reject) => {
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`holding ${HOLD}`)) resolve(spawned);
    };
    spawned.stdout!.on('data', collect);
    spawned.stderr!.on('data', collect);
    spawned.once('exit', (code) => reject(new Error(`holder exited (${code}): ${output}`)));
  });
}

it(
  'delivers again and completes all 50 messages of a SIGKILLed consumer',
  { timeout: 30_000 },
  async () => {
    const queue = 'sigkill.held';
    const broker = new RedisBroker({ url: testServiceUrl('redis'), namespace });
    try {
      const ids = new Set<string>();
      for (let index = 0; index < HOLD; index += 1) {
        const envelope = conformanceEnvelope(queue, { args: index });
        ids.add(envelope.id);
        await broker.publish(envelope);
      }
      const holder = await spawnHolder(queue);
      const exited = new Promise((resolve) => holder.once('exit', resolve));
      holder.kill('SIGKILL');
      await exited;
      const afterKill = await broker.stats(queue);
      expect(afterKill.inFlight + afterKill.ready).toBe(HOLD);

      const completed = new Map<string, Delivery>();
      const failures: string[] = [];
      await broker.consume({ queue, prefetch: 10, leaseMs: 20_000 }, (delivery) => {
        broker.ack(delivery).then(
          () => completed.set(delivery.envelope.id, delivery),
          (error: unknown) => failures.push(String(error)),
        );
      });
      await eventually('all 50 completed', () => completed.size === HOLD, 15_000);

      expect(failures).toEqual([]);
      expect([...completed.keys()].sort()).toEqual([...ids].sort());
      expect([...completed.values()].every((d) => d.deliveryCount === 2)).toBe(true);
      const stats = await broker.stats(queue);
      expect([stats.ready, stats.inFlight, stats.dead]).toEqual([0, 0, 0]);
    } finally {
      await broker.close();
    }
  },
);
