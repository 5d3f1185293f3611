// A beat runs on one RedisScheduleStore connection with a 60 s poll interval (so only a
// change notification can wake it); a SchedulerService on another connection makes
// changes. Each change reaches the running beat within 1 s: a new entry due 300 ms later
// fires on time, a disable stops an every-second entry, an edit moves its time.
import { randomUUID } from 'node:crypto';
import { Beat, SchedulerService } from '@stem/beat';
import { type Envelope, InMemoryBroker, Stem } from '@stem/core';
import { RedisScheduleStore } from '@stem/redis';
import { requireService, testServiceUrl } from '@stem/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';

const namespace = `stem-beat-test-${randomUUID().slice(0, 8)}`;
let raw: Redis;

beforeAll(async () => {
  await requireService('redis');
  raw = new Redis(testServiceUrl('redis'));
});
afterAll(async () => {
  const keys = await raw.keys(`${namespace}:*`);
  if (keys.length > 0) await raw.unlink(...keys);
  await raw.quit();
});

it(
  'changes made through another connection reach a sleeping beat within 1 s',
  { timeout: 20_000 },
  async () => {
    const beatStore = new RedisScheduleStore({ url: testServiceUrl('redis'), namespace });
    const serviceStore = new RedisScheduleStore({ url: testServiceUrl('redis'), namespace });
    const published: Array<{ envelope: Envelope; at: number }> = [];
    const stem = new Stem({
      broker: new InMemoryBroker(),
      middleware: [
        {
          name: 'record',
          publish: async (envelope, next) => {
            published.push({ envelope, at: Date.now() });
            await next(envelope);
          },
        },
      ],
    });
    const beat = new Beat({
      store: beatStore,
      stem,
      pollIntervalMs: 60_000,
      reaperGraceMs: 60_000,
    });
    const service = new SchedulerService({ store: serviceStore });
    await beat.start();
    try {
      // Let the beat fall asleep on an empty store.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const runAt = Date.now() + 300;
      await service.create({ id: 'once', taskName: 't', spec: { kind: 'clocked', runAt } });
      await waitFor(
        () => published.some((p) => p.envelope.headers['stem-beat-entry'] === 'once'),
        2_000,
      );
      const lateMs =
        published.find((p) => p.envelope.headers['stem-beat-entry'] === 'once')!.at - runAt;
      expect(lateMs).toBeLessThan(1_000);

      await service.create({
        id: 'tick',
        taskName: 't',
        spec: { kind: 'cron', expression: '* * * * * *' },
      });
      await waitFor(() => countFor(published, 'tick') >= 2, 4_000);
      const disabledAt = Date.now();
      await service.disable('tick', { reason: 'test' });
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const after = published.filter(
        (p) => p.envelope.headers['stem-beat-entry'] === 'tick' && p.at > disabledAt + 1_000,
      );
      expect(after).toEqual([]);
      expect(beat.metrics().changes).toBeGreaterThanOrEqual(4);
    } finally {
      await beat.stop();
      await beatStore.close();
      await serviceStore.close();
    }
  },
);

function countFor(published: Array<{ envelope: Envelope }>, entryId: string): number {
  return published.filter((p) => p.envelope.headers['stem-beat-entry'] === entryId).length;
}

async function waitFor(check: () => boolean, withinMs: number): Promise<void> {
  const until = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
