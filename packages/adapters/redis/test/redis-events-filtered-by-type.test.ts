// The Redis event bus: events reach subscribers in other instances, filtered by type,
// until they unsubscribe; namespaces are separate; a passed-in client is left open.
import { randomUUID } from 'node:crypto';
import type { StemEvent } from '@stem/core';
import { RedisEventBus } from '@stem/redis';
import { eventually, requireService, sleep, testServiceUrl } from '@stem/testing';
import { Redis } from 'ioredis';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const url = testServiceUrl('redis');
const opened: RedisEventBus[] = [];

function open(namespace: string, client?: Redis): RedisEventBus {
  const bus =
    client === undefined
      ? new RedisEventBus({ url, namespace })
      : new RedisEventBus({ client, namespace });
  opened.push(bus);
  return bus;
}

function succeeded(taskId: string): StemEvent {
  return {
    type: 'task.succeeded',
    at: Date.now(),
    taskId,
    taskName: 'events.test',
    queue: 'default',
    attempt: 1,
    durationMs: 0.125,
  };
}

function heartbeat(workerId: string): StemEvent {
  return {
    type: 'worker.heartbeat',
    at: Date.now(),
    workerId,
    hostname: 'host',
    pid: 1,
    queues: [],
    active: 0,
    processed: 3,
    intervalMs: 2_000,
  };
}

beforeAll(() => requireService('redis'));
afterEach(async () => {
  await Promise.all(opened.splice(0).map((bus) => bus.close()));
});

describe('RedisEventBus', () => {
  it('delivers to other instances only the subscribed types, until unsubscribed', async () => {
    const namespace = `zz-rstores-events-${randomUUID().slice(0, 8)}`;
    const publisher = open(namespace);
    const listener = open(namespace);
    const all: StemEvent[] = [];
    const onlySucceeded: StemEvent[] = [];
    const stopAll = await listener.subscribe((event) => all.push(event));
    await listener.subscribe((event) => onlySucceeded.push(event), ['task.succeeded']);

    const beat = heartbeat('w-1');
    const done = succeeded('t-1');
    await publisher.publish(beat);
    await publisher.publish(done);
    await eventually('both events', () => all.length === 2);
    expect(all).toEqual([beat, done]);
    await eventually('the filtered event', () => onlySucceeded.length === 1);
    expect(onlySucceeded.map((event) => event.type)).toEqual(['task.succeeded']);
    // Each listener gets its own copy.
    expect(onlySucceeded[0]).not.toBe(all[1]);

    await stopAll();
    await stopAll();
    await publisher.publish(succeeded('t-2'));
    await eventually('the second filtered event', () => onlySucceeded.length === 2);
    expect(all).toHaveLength(2);
  });

  it('keeps namespaces apart', async () => {
    const first = open(`zz-rstores-events-${randomUUID().slice(0, 8)}`);
    const second = open(`zz-rstores-events-${randomUUID().slice(0, 8)}`);
    const seen: StemEvent[] = [];
    await second.subscribe((event) => seen.push(event));
    await first.publish(succeeded('elsewhere'));
    await second.publish(succeeded('here'));
    await eventually('the event of its own namespace', () => seen.length === 1);
    await sleep(100);
    expect(seen.map((event) => 'taskId' in event && event.taskId)).toEqual(['here']);
  });

  it('closes its subscriber connection but not a client it was given', async () => {
    const client = new Redis(url);
    try {
      const bus = open(`zz-rstores-events-${randomUUID().slice(0, 8)}`, client);
      const seen: StemEvent[] = [];
      await bus.subscribe((event) => seen.push(event));
      await bus.close();
      expect(await client.ping()).toBe('PONG');
      await expect(bus.publish(succeeded('late'))).rejects.toMatchObject({ code: 'CLOSED' });
    } finally {
      await client.quit();
    }
  });
});
