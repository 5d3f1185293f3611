// What the adapters promise about calls issued in one tick (publishes, acks, result
// records travel together, in order, each promise settling on its own) and about an idle
// consumer's wake-ups (a local timer, not the server's cron tick). A private redis-server
// keeps the command counts clean; it runs with `hz 1`, where a server-side BLOCK timeout
// would fire up to a second late.
import { randomUUID } from 'node:crypto';
import { type Delivery, isTerminalStatus, type ResultRecord } from '@stem/core';
import { RedisBroker, RedisResultBackend } from '@stem/redis';
import { conformanceEnvelope, eventually } from '@stem/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRedisServer } from './support/start-redis-server';

let server: LocalRedisServer;
let raw: Redis;

beforeAll(async () => {
  server = await LocalRedisServer.start({ args: ['--hz', '1'] });
  raw = new Redis(server.url);
}, 30_000);
afterAll(async () => {
  await raw?.quit();
  await server?.stop();
});

/** Script calls (EVAL and EVALSHA) the server ran since the last reset. */
async function scriptCalls(): Promise<number> {
  const stats = await raw.info('commandstats');
  let calls = 0;
  for (const match of stats.matchAll(/cmdstat_(?:eval|evalsha):calls=(\d+)/g)) {
    calls += Number(match[1]);
  }
  return calls;
}

function record(taskId: string, status: ResultRecord['status']): ResultRecord {
  const now = Date.now();
  return {
    taskId,
    status,
    meta: { taskName: 'batch.test', ...(isTerminalStatus(status) ? { finishedAt: now } : {}) },
    updatedAt: now,
    ...(status === 'SUCCESS' ? { payload: { done: taskId } } : {}),
  };
}

describe('calls issued in one tick', () => {
  it('stores a Promise.all of publishes with one script call, in publish order', async () => {
    const broker = new RedisBroker({ url: server.url, namespace: `batch-${randomUUID()}` });
    const queue = 'ordered';
    const envelopes = Array.from({ length: 50 }, (_, index) =>
      conformanceEnvelope(queue, { args: { index } }),
    );
    await broker.publish(conformanceEnvelope('warm-up')); // loads the script
    await raw.config('RESETSTAT');
    await Promise.all(envelopes.map((envelope) => broker.publish(envelope)));
    expect(await scriptCalls()).toBe(1);

    const seen: number[] = [];
    const subscription = await broker.consume({ queue, prefetch: 100 }, async (delivery) => {
      seen.push((delivery.envelope.args as { index: number }).index);
      await broker.ack(delivery);
    });
    await eventually('all 50 delivered', () => seen.length === 50);
    expect(seen).toEqual(envelopes.map((_, index) => index));
    await subscription.cancel();
    await broker.close();
  });

  it('reserves the next messages in the script call that carries the acks', async () => {
    const broker = new RedisBroker({ url: server.url, namespace: `batch-${randomUUID()}` });
    const queue = 'refill';
    for (let index = 0; index < 30; index += 1) {
      await broker.publish(conformanceEnvelope(queue, { args: { index } }));
    }
    const held: Delivery[] = [];
    const subscription = await broker.consume({ queue, prefetch: 10 }, (delivery) => {
      held.push(delivery);
    });
    await eventually('the first ten held', () => held.length === 10);
    await raw.config('RESETSTAT');
    await Promise.all(held.slice(0, 10).map((delivery) => broker.ack(delivery)));
    // By the time the acks resolve, their reply has already handed over the next ten.
    expect(held.length).toBe(20);
    expect(await scriptCalls()).toBe(1);
    expect(held.slice(10).map((delivery) => delivery.envelope.args)).toEqual(
      Array.from({ length: 10 }, (_, offset) => ({ index: 10 + offset })),
    );
    await Promise.all(held.slice(10).map((delivery) => broker.ack(delivery)));
    await subscription.cancel();
    await broker.close();
  });

  it('fences every ack of a batch on its own token', async () => {
    const broker = new RedisBroker({ url: server.url, namespace: `batch-${randomUUID()}` });
    const queue = 'fenced-batch';
    for (let index = 0; index < 6; index += 1) {
      await broker.publish(conformanceEnvelope(queue, { args: { index } }));
    }
    const held: Delivery[] = [];
    const subscription = await broker.consume({ queue, prefetch: 6 }, (delivery) => {
      held.push(delivery);
    });
    await eventually('six held', () => held.length === 6);
    await subscription.cancel();
    const [first, second, third, ...rest] = held as [Delivery, Delivery, Delivery, Delivery];
    await raw.config('RESETSTAT');
    // One tick, one script call: the same delivery twice, a forged token before the real
    // one, and three plain acks.
    const outcomes = await Promise.allSettled([
      broker.ack(first),
      broker.ack(first),
      broker.ack({ ...second, leaseToken: `${second.leaseToken}-forged` }),
      broker.ack(second),
      broker.ack(third),
      ...rest.map((delivery) => broker.ack(delivery)),
    ]);
    expect(await scriptCalls()).toBe(1);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected')
        expect(outcome.reason).toMatchObject({ code: 'LEASE_LOST' });
    }
    // Every message is gone for good: nothing ready, nothing pending, no lease left.
    expect(await broker.stats(queue)).toMatchObject({ ready: 0, inFlight: 0 });
    await broker.close();
  });

  it('writes result records in the order they were set, each promise settling', async () => {
    const backend = new RedisResultBackend({ url: server.url, namespace: `batch-${randomUUID()}` });
    await backend.set(record('warm-up', 'STARTED')); // loads the script
    await raw.config('RESETSTAT');
    // A quick task: STARTED then SUCCESS in one tick. And a late STARTED after SUCCESS.
    await Promise.all([
      backend.set(record('quick', 'STARTED')),
      backend.set(record('quick', 'SUCCESS')),
      backend.set(record('late-start', 'SUCCESS')),
      backend.set(record('late-start', 'STARTED')),
      backend.set(record('running', 'STARTED')),
    ]);
    expect(await scriptCalls()).toBe(1);
    expect(await backend.get('quick')).toMatchObject({
      status: 'SUCCESS',
      payload: { done: 'quick' },
    });
    expect((await backend.get('late-start'))?.status).toBe('SUCCESS');
    expect((await backend.get('running'))?.status).toBe('STARTED');
    await backend.close();
  });

  it('leaves out every STARTED replaced in its tick, even when the tick needs several calls', async () => {
    const backend = new RedisResultBackend({ url: server.url, namespace: `batch-${randomUUID()}` });
    await backend.set(record('warm-up', 'STARTED'));
    await raw.config('RESETSTAT');
    // 80 quick tasks as a busy worker sets them: all the STARTED records, then the SUCCESS
    // ones. 160 records would take four calls of 50; the 80 that are left take two.
    const taskIds = Array.from({ length: 80 }, (_, index) => `quick-${index}`);
    const settled = await Promise.all([
      ...taskIds.map((taskId) => backend.set(record(taskId, 'STARTED')).then(() => taskId)),
      ...taskIds.map((taskId) => backend.set(record(taskId, 'SUCCESS')).then(() => taskId)),
    ]);
    expect(settled).toHaveLength(160);
    expect(await scriptCalls()).toBe(2);
    const stats = await raw.info('commandstats');
    // One SET per record written: the 80 STARTED records never reached the server.
    expect(Number(/cmdstat_set:calls=(\d+)/.exec(stats)?.[1])).toBe(80);
    for (const taskId of [taskIds[0]!, taskIds[79]!]) {
      expect(await backend.get(taskId)).toMatchObject({
        status: 'SUCCESS',
        payload: { done: taskId },
      });
    }
    await backend.close();
  });

  it('sends a record set earlier in the tick before any later command on it', async () => {
    const backend = new RedisResultBackend({ url: server.url, namespace: `batch-${randomUUID()}` });
    const progress = { fraction: 0.5, reportedAt: Date.now() };
    // Not awaited in between: updateMeta must find the record the set just queued.
    const written = backend.set(record('progressing', 'STARTED'));
    const updated = backend.updateMeta('progressing', { progress });
    await Promise.all([written, updated]);
    expect((await backend.get('progressing'))?.meta.progress).toEqual(progress);
    await backend.close();
  });

  it('refuses a meta name holding a NUL character and writes nothing', async () => {
    const backend = new RedisResultBackend({ url: server.url, namespace: `batch-${randomUUID()}` });
    const bad = record('bad-meta', 'STARTED');
    const meta = bad.meta as unknown as Record<string, unknown>;
    meta['odd\0name'] = 1;
    await expect(backend.set(bad)).rejects.toThrow(/meta name "odd\\u0000name" holds a NUL/);
    expect(await backend.get('bad-meta')).toBeUndefined();
    await backend.close();
  });
});

describe('an idle consumer', () => {
  it('wakes for a delayed message when it falls due, not on the server cron tick', async () => {
    const broker = new RedisBroker({ url: server.url, namespace: `batch-${randomUUID()}` });
    const queue = 'delayed';
    const lateness: number[] = [];
    const subscription = await broker.consume({ queue, prefetch: 10 }, async (delivery) => {
      lateness.push(Date.now() - (delivery.envelope.notBeforeAt ?? 0));
      await broker.ack(delivery);
    });
    const start = Date.now();
    for (let index = 0; index < 5; index += 1) {
      await broker.publish(conformanceEnvelope(queue, { notBeforeAt: start + 300 + index * 170 }));
    }
    await eventually('all five delivered', () => lateness.length === 5, 10_000);
    // With hz 1 a BLOCK timeout alone would be up to 1,000 ms late; never early either way.
    for (const late of lateness) {
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(250);
    }
    await subscription.cancel();
    await broker.close();
  });
});
