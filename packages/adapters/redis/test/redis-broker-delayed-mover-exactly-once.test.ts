// Several broker instances (as separate processes would) consume one queue of delayed
// messages; each runs the delayed mover in every round. The mover is one Lua script, so
// no message may be moved twice (a duplicate delivery) or lost.
import { randomUUID } from 'node:crypto';
import type { Delivery } from '@stem/core';
import { RedisBroker } from '@stem/redis';
import {
  conformanceEnvelope,
  eventually,
  requireService,
  sleep,
  testServiceUrl,
} from '@stem/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';

const MESSAGES = 500;
const BROKERS = 4;

const namespace = `stem-test-${randomUUID().slice(0, 8)}`;
const opened: RedisBroker[] = [];
beforeAll(() => requireService('redis'));
afterEach(async () => {
  await Promise.all(opened.splice(0).map((broker) => broker.close()));
});
afterAll(async () => {
  const raw = new Redis(testServiceUrl('redis'));
  const keys = await raw.keys(`${namespace}:*`);
  if (keys.length > 0) await raw.unlink(...keys);
  await raw.quit();
});

it('moves 500 delayed messages with 4 concurrent movers, delivering each exactly once and never early', async () => {
  const queue = 'delayed.many';
  const brokers = Array.from({ length: BROKERS }, () => {
    const broker = new RedisBroker({ url: testServiceUrl('redis'), namespace });
    opened.push(broker);
    return broker;
  });
  const start = Date.now();
  const dueAt = new Map<string, number>();
  await Promise.all(
    Array.from({ length: MESSAGES }, (_, index) => {
      // Due times spread over 200-700 ms, many sharing one millisecond.
      const notBeforeAt = start + 200 + Math.floor(index / 5) * 5;
      const envelope = conformanceEnvelope(queue, { args: index, notBeforeAt });
      dueAt.set(envelope.id, notBeforeAt);
      return brokers[index % BROKERS]!.publish(envelope);
    }),
  );
  expect((await brokers[0]!.stats(queue)).delayed).toBeGreaterThan(0);

  const received = new Map<string, number>();
  const early: string[] = [];
  const failures: string[] = [];
  for (const broker of brokers) {
    await broker.consume({ queue, prefetch: 20, leaseMs: 30_000 }, (delivery: Delivery) => {
      const id = delivery.envelope.id;
      received.set(id, (received.get(id) ?? 0) + 1);
      if (Date.now() < (dueAt.get(id) ?? 0)) early.push(id);
      broker.ack(delivery).catch((error: unknown) => failures.push(String(error)));
    });
  }
  await eventually('every delayed message delivered', () => received.size === MESSAGES, 10_000);
  await sleep(300);

  expect(failures).toEqual([]);
  expect(early).toEqual([]);
  expect([...received.values()].filter((count) => count !== 1)).toEqual([]);
  expect([...received.keys()].sort()).toEqual([...dueAt.keys()].sort());
  const stats = await brokers[0]!.stats(queue);
  expect([stats.ready, stats.delayed, stats.inFlight, stats.dead]).toEqual([0, 0, 0, 0]);
});
