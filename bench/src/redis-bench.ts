/**
 * `pnpm bench redis`: Stem and BullMQ side by side on the same Redis server in one run
 * (STEM_REDIS_URL, default the local one), each under its own key prefix, deleted
 * afterwards. Measures enqueue throughput (one by one; in bulk, where Stem sends a
 * Promise.all batch, stored by one script call per tick, while BullMQ uses addBulk; and
 * Promise.all batches on both sides), drain throughput of no-op jobs at concurrency 1
 * and 50, enqueue-to-start latency at a steady rate, and how late delayed jobs start;
 * prints each figure and the Stem/BullMQ ratio. Drains and latency run in rounds that
 * alternate between the sides, so a slow spell of the machine falls on both.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { BullmqRedisSubject } from './redis-bench-bullmq';
import { StemRedisSubject } from './redis-bench-stem';
import { type BenchJobData, type RedisBenchSubject, sleep } from './redis-bench-subject';

const BATCH = 100;
/**
 * Latency and lateness are measured at a rate well below either side's throughput, so
 * they show how fast a job is picked up, not how long a backlog is.
 */
const STEADY_RATE_PER_S = 100;
const LATENCY_CONCURRENCY = 10;
/** Drain throughput is the median of this many rounds per side, alternating. */
const DRAIN_ROUNDS = 3;
/**
 * Enqueue-to-start latency is sampled in this many rounds per side, alternating: a p99
 * needs more than one round's jobs, and one side's round should not meet a quieter
 * machine than the other's.
 */
const LATENCY_ROUNDS = 3;
/** The earliest delay of the lateness measurement; later ones follow at the steady rate. */
const FIRST_DELAY_MS = 1_000;

/** Figures of one measurement for both sides; `higherIsBetter` says how to read the ratio. */
interface Comparison {
  label: string;
  unit: string;
  stem: number;
  bullmq: number;
  higherIsBetter: boolean;
}

export async function redisBench(scale: number): Promise<string[]> {
  const url = process.env.STEM_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const tag = randomUUID().slice(0, 8);
  const stem = new StemRedisSubject(url, `stem-bench-${tag}`);
  const bullmq = new BullmqRedisSubject(url, `bullmq-bench-${tag}`);
  const sides = [stem, bullmq] as const;
  const sized = (n: number) => Math.max(100, Math.round(n * scale));
  const rows: Comparison[] = [];
  try {
    const measure = async (
      label: string,
      unit: string,
      higherIsBetter: boolean,
      run: (side: RedisBenchSubject) => Promise<number>,
    ) => {
      const [stemFigure, bullmqFigure] = [await run(stem), await run(bullmq)];
      for (const side of sides) await side.clean();
      rows.push({ label, unit, stem: stemFigure, bullmq: bullmqFigure, higherIsBetter });
    };
    // Warm both sides up (JIT, connections, scripts loaded) so the first row is not cold.
    for (const side of sides) {
      await enqueueOneByOne(side, 300);
      await drain(side, 1_000, 10);
      await side.clean();
    }
    const one = sized(5_000);
    await measure(`enqueue one by one (${one} jobs)`, 'jobs/s', true, (side) =>
      enqueueOneByOne(side, one),
    );
    const bulk = sized(20_000);
    await measure(`enqueue in bulk, batches of ${BATCH} (${bulk} jobs)`, 'jobs/s', true, (side) =>
      enqueueInBatches(side, bulk),
    );
    await measure(`enqueue Promise.all of ${BATCH} (${bulk} jobs)`, 'jobs/s', true, (side) =>
      enqueueInBatches(side, bulk, (batch) => Promise.all(batch.map((d) => side.enqueueOne(d)))),
    );
    // A drain lasts about a second: the median of alternating rounds, so one slow
    // second of the machine does not decide the ratio.
    for (const concurrency of [1, 50]) {
      const rates = new Map<RedisBenchSubject, number[]>(sides.map((side) => [side, []]));
      for (let round = 0; round < DRAIN_ROUNDS; round += 1) {
        for (const side of sides) {
          rates.get(side)?.push(await drain(side, bulk, concurrency));
          await side.clean();
        }
      }
      rows.push({
        label: `drain ${bulk} no-op jobs, concurrency ${concurrency} (median of ${DRAIN_ROUNDS} alternating rounds)`,
        unit: 'jobs/s',
        stem: percentile(rates.get(stem) ?? [], 0.5),
        bullmq: percentile(rates.get(bullmq) ?? [], 0.5),
        higherIsBetter: true,
      });
    }
    const steady = sized(600);
    // Rounds alternate between the sides, so a slow spell of the machine falls on both.
    const latencies = new Map<RedisBenchSubject, number[]>(sides.map((side) => [side, []]));
    for (let round = 0; round < LATENCY_ROUNDS; round += 1) {
      for (const side of sides) {
        latencies.get(side)?.push(...(await startLatencies(side, steady)));
        await side.clean();
      }
    }
    const sampled = `${steady * LATENCY_ROUNDS} jobs in ${LATENCY_ROUNDS} alternating rounds`;
    for (const share of [0.5, 0.99]) {
      const label = `enqueue->start p${share * 100} at ${STEADY_RATE_PER_S}/s (${sampled})`;
      rows.push(percentileRow(label, latencies, share));
    }
    const delayed = sized(500);
    const lateness = new Map<RedisBenchSubject, number[]>();
    await measure(
      `delayed job lateness p50 (${delayed} due at ${STEADY_RATE_PER_S}/s)`,
      'ms',
      false,
      async (side) => {
        lateness.set(side, await delayedLateness(side, delayed));
        return percentile(lateness.get(side) ?? [], 0.5);
      },
    );
    rows.push(
      percentileRow(
        `delayed job lateness p99 (${delayed} due at ${STEADY_RATE_PER_S}/s)`,
        lateness,
        0.99,
      ),
    );
  } finally {
    for (const side of sides) {
      await side.close();
      await side.clean();
    }
  }
  return report(url, rows, stem, bullmq);
}

async function enqueueOneByOne(side: RedisBenchSubject, count: number): Promise<number> {
  const startedAt = performance.now();
  for (let index = 0; index < count; index += 1) {
    const now = Date.now();
    await side.enqueueOne({ sentAt: now, dueAt: now });
  }
  return perSecond(count, performance.now() - startedAt);
}

/** Enqueues `count` jobs in batches, each with the side's batch method unless `send` is given. */
async function enqueueInBatches(
  side: RedisBenchSubject,
  count: number,
  send: (batch: BenchJobData[]) => Promise<unknown> = (batch) => side.enqueueBatch(batch),
): Promise<number> {
  const startedAt = performance.now();
  for (let done = 0; done < count; done += BATCH) {
    const now = Date.now();
    const size = Math.min(BATCH, count - done);
    await send(Array.from({ length: size }, () => ({ sentAt: now, dueAt: now })));
  }
  return perSecond(count, performance.now() - startedAt);
}

/** Fills the queue, then times a fresh worker until every job has finished. */
async function drain(side: RedisBenchSubject, count: number, concurrency: number): Promise<number> {
  await enqueueInBatches(side, count);
  const startedAt = performance.now();
  await side.startWorker(concurrency, () => {});
  await side.waitFinished(count);
  const elapsedMs = performance.now() - startedAt;
  await side.stopWorker();
  return perSecond(count, elapsedMs);
}

/** Jobs enqueued one at a time at a steady rate; ms from enqueue call to handler start. */
async function startLatencies(side: RedisBenchSubject, count: number): Promise<number[]> {
  const latencies: number[] = [];
  await side.startWorker(LATENCY_CONCURRENCY, (data) => latencies.push(preciseNow() - data.sentAt));
  const intervalMs = 1_000 / STEADY_RATE_PER_S;
  const startedAt = Date.now();
  const sent: Promise<void>[] = [];
  for (let index = 0; index < count; index += 1) {
    const wait = startedAt + index * intervalMs - Date.now();
    if (wait > 0) await sleep(wait);
    const now = preciseNow();
    sent.push(side.enqueueOne({ sentAt: now, dueAt: now }));
  }
  await Promise.all(sent);
  await side.waitFinished(count);
  await side.stopWorker();
  return latencies;
}

/** Delayed jobs falling due at the steady rate; ms each started after it was due. */
async function delayedLateness(side: RedisBenchSubject, count: number): Promise<number[]> {
  const lateness: number[] = [];
  await side.startWorker(LATENCY_CONCURRENCY, (data) => lateness.push(preciseNow() - data.dueAt));
  const startedAt = Date.now();
  for (let done = 0; done < count; done += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - done) }, (_, offset) => {
      const now = preciseNow();
      const dueAt = startedAt + FIRST_DELAY_MS + ((done + offset) * 1_000) / STEADY_RATE_PER_S;
      const delayMs = Math.max(1, Math.round(dueAt - now));
      return side.enqueueOne({ sentAt: now, dueAt: now + delayMs }, delayMs);
    });
    await Promise.all(batch);
  }
  await side.waitFinished(count);
  await side.stopWorker();
  return lateness;
}

/**
 * Epoch ms with a fraction: Date.now() counts whole milliseconds, too coarse for
 * latencies of about one. Sender and handler run in this one process, on this clock.
 */
function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

function percentile(values: readonly number[], share: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
}

function percentileRow(
  label: string,
  samples: ReadonlyMap<RedisBenchSubject, number[]>,
  share: number,
): Comparison {
  const [stem, bullmq] = [...samples.values()];
  return {
    label,
    unit: 'ms',
    stem: percentile(stem ?? [], share),
    bullmq: percentile(bullmq ?? [], share),
    higherIsBetter: false,
  };
}

function perSecond(count: number, elapsedMs: number): number {
  return (count * 1_000) / elapsedMs;
}

function report(
  url: string,
  rows: readonly Comparison[],
  stem: RedisBenchSubject,
  bullmq: RedisBenchSubject,
): string[] {
  const version = bullmqVersion();
  const format = (value: number, unit: string) =>
    unit === 'ms' ? `${value.toFixed(2)} ms` : `${Math.round(value).toLocaleString('en')} ${unit}`;
  const lines = [
    `Redis: Stem vs BullMQ ${version} on ${url}, one run, same server, own key prefixes`,
    `  batches: Stem ${stem.batchMethod}; BullMQ ${bullmq.batchMethod}`,
    '  both keep results (Stem: RedisResultBackend; BullMQ: completed jobs with return values)',
  ];
  for (const row of rows) {
    const ratio = row.stem / row.bullmq;
    const better = row.higherIsBetter ? ratio >= 1 : ratio <= 1;
    lines.push(
      `  ${row.label.padEnd(46)} Stem ${format(row.stem, row.unit).padStart(14)}` +
        `   BullMQ ${format(row.bullmq, row.unit).padStart(14)}` +
        `   Stem/BullMQ ${ratio.toFixed(2)}x (${better ? 'Stem better or equal' : 'Stem worse'})`,
    );
  }
  return lines;
}

function bullmqVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('bullmq/package.json') as { version: string }).version;
}
