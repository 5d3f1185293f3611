// Three beat processes on one Redis run 20 entries (an every-second cron among them)
// for STEM_BEAT_SOAK_MS (20 s by default; 120 s for a full soak). Their clocks are
// skewed by +2 s, -2 s and +1 s. Beat 0 SIGKILLs itself at a failpoint between a claim
// and its publish (its 6th), or the test SIGKILLs it at 40 % if that has not happened;
// beat 2 is SIGSTOPped at 50 % for twice the reaper grace, then resumed. Every task
// published is drained from the queue and counted per occurrence: every occurrence up
// to the end of the run is published, none is missed, and none is published twice
// unless explained: a beat killed or paused after its publish reached the broker and
// before it marked the claim published is reaped (no broker deduplicates publishes).
// Such a republish carries the same task id and idempotency key, so workers run it once.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { nextFireAfter, type ScheduleEntryInput, SchedulerService } from '@stem/beat';
import { type Envelope, type ScheduleEntry, Stem } from '@stem/core';
import { RedisBroker, RedisScheduleStore } from '@stem/redis';
import { requireService, testServiceUrl } from '@stem/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';

const SOAK_MS = Number(process.env.STEM_BEAT_SOAK_MS ?? 20_000);
const SETTLE_MS = 6_000;
const STOP_MS = 6_000;
const QUEUE = 'beat-soak';
/** beat-0 is killed and beat-2 stopped; a republish may only take over from these. */
const FAULTED_BEATS = new Set(['beat-0', 'beat-2']);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const luaLoader = fileURLToPath(
  new URL('../../adapters/redis/test/fixtures/lua-text-loader.mjs', import.meta.url),
);
const namespace = `stem-beat-soak-${randomUUID().slice(0, 8)}`;
const children: ChildProcess[] = [];
let raw: Redis;

beforeAll(async () => {
  await requireService('redis');
  raw = new Redis(testServiceUrl('redis'));
});
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  const keys = await raw.keys(`${namespace}:*`);
  if (keys.length > 0) await raw.unlink(...keys);
  await raw.quit();
});

function spawnBeat(
  instanceId: string,
  offsetMs: number,
  failpoints?: string,
): Promise<ChildProcess> {
  const args = ['--import', 'tsx', '--import', luaLoader, fixture('beat-process.ts')];
  args.push(testServiceUrl('redis'), namespace, instanceId, String(offsetMs));
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: 'tsconfig.base.json',
      ...(failpoints === undefined ? {} : { STEM_FAILPOINTS: failpoints }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) resolve(child);
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`${instanceId} exited (${code ?? signal}): ${output}`)),
    );
  });
}

function soakEntries(nowAt: number): ScheduleEntryInput[] {
  const cron = (id: string, expression: string, extra: Partial<ScheduleEntryInput> = {}) => ({
    id,
    taskName: 'soak',
    queue: QUEUE,
    spec: { kind: 'cron' as const, expression },
    args: { id },
    ...extra,
  });
  const every = (id: string, everyMs: number) => ({
    id,
    taskName: 'soak',
    queue: QUEUE,
    spec: { kind: 'interval' as const, everyMs },
    args: { id },
  });
  return [
    cron('cron-1s', '* * * * * *'),
    cron('cron-2s', '*/2 * * * * *'),
    cron('cron-3s', '*/3 * * * * *'),
    cron('cron-5s', '*/5 * * * * *'),
    cron('cron-7s', '*/7 * * * * *'),
    cron('cron-10s', '*/10 * * * * *'),
    cron('cron-15s', '*/15 * * * * *'),
    cron('cron-1s-max-5', '* * * * * *', { maxRuns: 5 }),
    cron('cron-4s-jitter-det', '*/4 * * * * *', { jitterMs: 600, jitterMode: 'deterministic' }),
    cron('cron-6s-jitter-rand', '*/6 * * * * *', { jitterMs: 600, jitterMode: 'random' }),
    cron('cron-1s-ny', '* * * * * *', { timezone: 'America/New_York' }),
    every('every-2s', 2_000),
    every('every-3s', 3_000),
    every('every-4s', 4_000),
    every('every-5s', 5_000),
    every('every-6s', 6_000),
    every('every-8s', 8_000),
    every('every-11s', 11_000),
    {
      id: 'clocked-once',
      taskName: 'soak',
      queue: QUEUE,
      spec: { kind: 'clocked', runAt: nowAt + Math.floor(SOAK_MS / 2) },
      args: null,
    },
    every('every-13s', 13_000),
  ];
}

/** Every occurrence of `entry` from its first run up to `untilAt`, honouring maxRuns. */
function expectedOccurrences(entry: ScheduleEntry, untilAt: number): number[] {
  const times: number[] = [];
  let next = entry.nextRunAt;
  while (next !== undefined && next <= untilAt) {
    if (entry.maxRuns !== undefined && times.length >= entry.maxRuns) break;
    times.push(next);
    next = nextFireAfter(entry, next);
  }
  return times;
}

async function drain(broker: RedisBroker): Promise<Envelope[]> {
  const seen: Envelope[] = [];
  const subscription = await broker.consume({ queue: QUEUE, prefetch: 200 }, async (delivery) => {
    seen.push(delivery.envelope);
    await broker.ack(delivery);
  });
  let stableSince = Date.now();
  let count = -1;
  while (Date.now() - stableSince < 1_000) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stats = await broker.stats(QUEUE);
    if (seen.length !== count || stats.ready > 0 || stats.inFlight > 0) {
      count = seen.length;
      stableSince = Date.now();
    }
  }
  await subscription.cancel();
  return seen;
}

it(
  'three skewed beats, one killed and one stopped, publish every occurrence exactly once',
  { timeout: SOAK_MS + 60_000 },
  async () => {
    const url = testServiceUrl('redis');
    const beats = await Promise.all([
      spawnBeat('beat-0', 2_000, 'beat.after-claim-before-publish=kill@6'),
      spawnBeat('beat-1', -2_000),
      spawnBeat('beat-2', 1_000),
    ]);
    const store = new RedisScheduleStore({ url, namespace });
    const broker = new RedisBroker({ url, namespace });
    const service = new SchedulerService({ store, stem: new Stem({ broker }) });
    try {
      const startedAt = Date.now();
      const created = await Promise.all(
        soakEntries(startedAt).map((input) => service.create(input)),
      );
      const killAt = startedAt + SOAK_MS * 0.4;
      const stopAt = startedAt + SOAK_MS * 0.5;
      await sleepUntil(killAt);
      const killedBeforeByFailpoint = beats[0]!.exitCode !== null || beats[0]!.signalCode !== null;
      if (!killedBeforeByFailpoint) beats[0]!.kill('SIGKILL');
      await sleepUntil(stopAt);
      beats[2]!.kill('SIGSTOP');
      await new Promise((resolve) => setTimeout(resolve, STOP_MS));
      beats[2]!.kill('SIGCONT');
      const endAt = startedAt + SOAK_MS;
      await sleepUntil(endAt + SETTLE_MS);
      const metrics = await Promise.all([beats[1]!, beats[2]!].map(stopBeat));
      const published = await drain(broker);

      const counts = new Map<string, number>();
      for (const envelope of published) {
        const key = `${envelope.headers['stem-beat-entry']}@${envelope.headers['stem-beat-scheduled-at']}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const duplicates = [...counts].filter(([, count]) => count > 1).map(([key]) => key);
      const copiesOf = (key: string) =>
        published.filter(
          (envelope) =>
            `${envelope.headers['stem-beat-entry']}@${envelope.headers['stem-beat-scheduled-at']}` ===
            key,
        );
      // Explained: exactly two copies, one a reaper's take-over from a beat that was killed
      // or stopped (its publish had gone out, its mark had not), both with one task id and
      // idempotency key (so a worker runs the task once).
      const unexplained = duplicates.filter((key) => {
        const copies = copiesOf(key);
        const reaped = copies.filter((envelope) =>
          FAULTED_BEATS.has(envelope.headers['stem-beat-reaped-from'] ?? ''),
        );
        const sameTask = new Set(
          copies.map((envelope) => `${envelope.id}|${envelope.idempotencyKey}`),
        );
        return !(copies.length === 2 && reaped.length === 1 && sameTask.size === 1);
      });
      const expected = created.flatMap((entry) =>
        expectedOccurrences(entry, endAt).map((instant) => `${entry.id}@${instant}`),
      );
      const missed = expected.filter((key) => !counts.has(key));
      const summary = {
        expected: expected.length,
        published: published.length,
        duplicates: duplicates.length,
        unexplainedDuplicates: unexplained.length,
        missed: missed.length,
        killedByFailpoint: killedBeforeByFailpoint,
        reaped: metrics.reduce((sum, m) => sum + (m.reaped as number), 0),
        abandoned: metrics.reduce((sum, m) => sum + (m.abandoned as number), 0),
      };
      console.log(`beat soak ${SOAK_MS} ms: ${JSON.stringify(summary)}`);
      // The failpoint kill leaves a claimed, unpublished occurrence: a survivor reaped it.
      if (killedBeforeByFailpoint) expect(summary.reaped).toBeGreaterThanOrEqual(1);
      const describeCopies = (key: string) =>
        `${key}: ${copiesOf(key)
          .map(
            (envelope) =>
              `${envelope.id} reaped-from=${envelope.headers['stem-beat-reaped-from'] ?? '-'}`,
          )
          .join(' | ')}`;
      expect(unexplained.map(describeCopies)).toEqual([]);
      expect(missed).toEqual([]);
      expect(expected.length).toBeGreaterThan(SOAK_MS / 1000);
    } finally {
      await store.close();
      await broker.close();
    }
  },
);

async function stopBeat(child: ChildProcess): Promise<Record<string, unknown>> {
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  const line = output.split('\n').find((text) => text.startsWith('metrics '));
  return line === undefined
    ? {}
    : (JSON.parse(line.slice('metrics '.length)) as Record<string, unknown>);
}

async function sleepUntil(instant: number): Promise<void> {
  const delay = instant - Date.now();
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
}
