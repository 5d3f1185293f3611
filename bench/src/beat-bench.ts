/**
 * `pnpm bench beat`: (a) next-fire computation for a realistic mix of schedule specs
 * (cron with and without seconds, interval, calendar, solar, in several time zones),
 * each entry's next occurrence computed once, against the same count of interval
 * specs (the cheapest); (b) the fire rate one beat, then two beats, sustain on Redis
 * with 10,000 every-second entries, counted at publish, and the ratio of the two.
 */
import { randomUUID } from 'node:crypto';
import { Beat, nextOccurrence, SchedulerService } from '@stem/beat';
import { type ScheduleSpec, Stem } from '@stem/core';
import { createRedisClient, RedisBroker, RedisScheduleStore } from '@stem/redis';

const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Tokyo', 'Australia/Sydney'];
const QUEUE = 'bench-beat';

interface TimedSpec {
  spec: ScheduleSpec;
  timezone: string;
}

/** Spec `index` of the mix: one kind in six, varied fields, zones in turn. */
function mixedSpec(index: number): TimedSpec {
  const timezone = ZONES[index % ZONES.length] as string;
  const n = Math.floor(index / 6);
  switch (index % 6) {
    case 0:
      return { spec: { kind: 'cron', expression: `*/${(n % 30) + 1} * * * * *` }, timezone };
    case 1:
      return { spec: { kind: 'cron', expression: `${n % 60} ${n % 24} * * 1-5` }, timezone };
    case 2:
      return { spec: { kind: 'interval', everyMs: 1_000 * ((n % 3_600) + 1) }, timezone };
    case 3:
      return {
        spec: { kind: 'calendar', weekdays: [n % 7], hours: [n % 24], minutes: [0, 30] },
        timezone,
      };
    case 4:
      return {
        spec: { kind: 'cron', expression: `0 ${n % 60} ${n % 24} ${(n % 28) + 1} * *` },
        timezone,
      };
    default:
      return {
        spec: {
          kind: 'solar',
          event: n % 2 === 0 ? 'sunrise' : 'sunset',
          latitude: (n % 120) - 60,
          longitude: (n % 360) - 180,
        },
        timezone,
      };
  }
}

/** Entries per second computing each spec's next occurrence once. */
function nextFireRate(specs: TimedSpec[], after: number): number {
  let found = 0;
  const startedAt = performance.now();
  for (const { spec, timezone } of specs) {
    if (nextOccurrence(spec, { after, timezone, anchorAt: 0 }) !== undefined) found += 1;
  }
  const ms = performance.now() - startedAt;
  if (found === 0) throw new Error('no next occurrence found');
  return specs.length / (ms / 1000);
}

export async function beatBench(scale: number): Promise<string[]> {
  const computed = Math.round(100_000 * scale);
  const entries = Math.round(10_000 * scale);
  const runMs = 6_000;
  const after = Date.UTC(2026, 2, 14, 12, 0, 0);

  const mix = Array.from({ length: computed }, (_, index) => mixedSpec(index));
  const intervals = Array.from({ length: computed }, (_, index) => ({
    spec: { kind: 'interval', everyMs: 1_000 * ((index % 3_600) + 1) } as ScheduleSpec,
    timezone: ZONES[index % ZONES.length] as string,
  }));
  // Warm both paths (JIT, zone caches) on a slice before timing.
  nextFireRate(mix.slice(0, 2_000), after);
  nextFireRate(intervals.slice(0, 2_000), after);
  const mixRate = nextFireRate(mix, after);
  const intervalRate = nextFireRate(intervals, after);

  const fire = await fireRates(entries, runMs);
  return [
    `beat next-fire computation, ${computed} entries (cron with seconds, cron 5-field, interval, calendar, solar; ${ZONES.length} zones)`,
    `  mixed specs  ${Math.round(mixRate).toLocaleString('en-US')} entries/s`,
    `  interval specs only  ${Math.round(intervalRate).toLocaleString('en-US')} entries/s`,
    `  ratio (mixed / interval)  ${(mixRate / intervalRate).toPrecision(2)}x`,
    `beat fire rate on Redis, ${entries} entries due every second, ${runMs / 1000} s per run`,
    `  1 beat   ${Math.round(fire.one).toLocaleString('en-US')} occurrences/s`,
    `  2 beats  ${Math.round(fire.two).toLocaleString('en-US')} occurrences/s`,
    `  ratio (2 beats / 1 beat)  ${(fire.two / fire.one).toFixed(2)}x`,
  ];
}

async function fireRates(entries: number, runMs: number): Promise<{ one: number; two: number }> {
  const url = process.env.STEM_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const namespace = `stem-bench-beat-${randomUUID().slice(0, 8)}`;
  const client = createRedisClient(url);
  const broker = new RedisBroker({ client, namespace });
  const stores: RedisScheduleStore[] = [];
  const publishedAt: number[] = [];
  const stem = new Stem({
    broker,
    middleware: [
      {
        name: 'bench-count',
        publish: async (envelope, next) => {
          await next(envelope);
          publishedAt.push(performance.now());
        },
      },
    ],
  });
  const newStore = () => {
    const store = new RedisScheduleStore({ url, namespace });
    stores.push(store);
    return store;
  };
  const silent = { info() {}, warn() {}, error() {} };
  try {
    const service = new SchedulerService({ store: newStore() });
    const ids = Array.from({ length: entries }, (_, index) => `bench-${index}`);
    for (let at = 0; at < ids.length; at += 500) {
      await Promise.all(
        ids.slice(at, at + 500).map((id) =>
          service.create({
            id,
            taskName: 'bench.beat',
            queue: QUEUE,
            spec: { kind: 'cron', expression: '* * * * * *' },
            args: null,
            missedRunPolicy: { kind: 'latest' },
          }),
        ),
      );
    }

    const run = async (count: number): Promise<number> => {
      const beats = Array.from(
        { length: count },
        (_, index) =>
          new Beat({
            store: newStore(),
            stem,
            instanceId: `bench-beat-${count}-${index}`,
            batchSize: 1_000,
            concurrency: 64,
            misfireGraceMs: 5_000,
            logger: silent,
          }),
      );
      for (const beat of beats) await beat.start();
      // The first second catches up; the rate is counted over the rest of the run.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const fromAt = performance.now();
      const fromCount = publishedAt.length;
      await new Promise((resolve) => setTimeout(resolve, runMs - 1_000));
      const toAt = performance.now();
      const counted = publishedAt.length - fromCount;
      await Promise.all(beats.map((beat) => beat.stop()));
      return counted / ((toAt - fromAt) / 1000);
    };
    const one = await run(1);
    const two = await run(2);
    return { one, two };
  } finally {
    await Promise.allSettled([...stores, broker].map((adapter) => adapter.close()));
    const keys = await client.keys(`${namespace}:*`);
    for (let index = 0; index < keys.length; index += 1_000) {
      await client.unlink(...keys.slice(index, index + 1_000));
    }
    await client.quit();
  }
}
