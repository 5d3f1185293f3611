// The ledger run on Redis: 5,000 sleep tasks through three worker processes on a private
// redis-server with AOF, while a seeded fault driver SIGKILLs workers five times (each
// restarted) and then kill -9's redis-server and starts it again on the same AOF. The
// ledger (written by the producer, the handlers and the driver, never by Stem) must show
// nothing lost, nothing unexpected and every duplicate explained by a fault. The test
// also measures, and prints, how fast the workers get back to 90% of their throughput
// once Redis is ready again. Its twin runs workers whose reclaimer is cut out, two of
// them are killed for good, and the checker must then report lost tasks.
//
// The server runs with `appendfsync always`: a kill -9 must then lose nothing the server
// acknowledged, so any loss is Stem's. With `everysec` Redis may postpone the AOF write
// while a slow background fsync runs and still reply, so an acknowledged publish or ack
// can be missing after the restart: that is the server's documented window, not a Stem
// bug, and `pnpm chaos` (STEM_CHAOS_APPENDFSYNC=everysec) runs that setting too.
//
// Replay with STEM_TEST_SEED=<seed>. `pnpm chaos` runs the first test at 100,000 tasks
// (STEM_CHAOS_TASKS, STEM_CHAOS_CONCURRENCY, STEM_CHAOS_APPENDFSYNC).
import type { CreateEnvelopeInput } from '@stem/core';
import {
  checkLedger,
  formatLedgerReport,
  type LedgerReport,
  randomIntBetween,
  seededRandom,
  sleep,
} from '@stem/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppendFsync, RedisLedgerRun, type RedisOutage } from './fixtures/ledger-redis-run';
import { LEDGER_SLEEP_TASK } from './fixtures/ledger-sleep-task';
import {
  donePerSecond,
  doneTimes,
  formatRecovery,
  measureRecovery,
  type ThroughputRecovery,
} from './fixtures/ledger-throughput';

const WORKERS = ['worker-1', 'worker-2', 'worker-3'];
const KILLS = 5;
const LEASE_MS = 2_000;
const TASKS = Number(process.env.STEM_CHAOS_TASKS ?? '5000');
const CONCURRENCY = process.env.STEM_CHAOS_CONCURRENCY ?? '5';
const APPENDFSYNC = (process.env.STEM_CHAOS_APPENDFSYNC ?? 'always') as AppendFsync;
/** Steady work before the server is killed: the throughput baseline, in ms. */
const BASELINE_MS = 2_000;
/** What the issue asks: 90% of the baseline within 5 s of Redis accepting connections. */
const RECOVERY_BOUND_MS = 5_000;
/** Done lines in the ledger before the first fault. */
const FAULTS_AFTER_DONE = 100;

let run: RedisLedgerRun | undefined;

afterEach(async () => {
  await run?.close();
  run = undefined;
});

function pickSeed(): number {
  const fromEnv = process.env.STEM_TEST_SEED;
  return fromEnv === undefined || fromEnv === ''
    ? Math.floor(Math.random() * 2 ** 31)
    : Number(fromEnv);
}

/** Sleep tasks whose lengths, in ms, are drawn from the run's seed. */
function sleepTasks(count: number, seed: number, msRange: [number, number]): CreateEnvelopeInput[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => ({
    task: LEDGER_SLEEP_TASK,
    args: { ms: randomIntBetween(random, msRange[0], msRange[1]) },
  }));
}

/**
 * Resolves once the ledger holds `count` done lines: faults start only when every worker
 * is busy, so the first kill surely interrupts work however slowly the machine booted.
 */
async function doneAtLeast(current: RedisLedgerRun, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (doneTimes(current.ledger()).length >= count) return;
    await sleep(100);
  }
  throw new Error(`fewer than ${count} tasks done after 60 s: the workers do not work`);
}

/** Waits until nothing is ready, delayed or in flight, or the deadline passes. */
async function drained(current: RedisLedgerRun, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline && (await current.unsettled()) > 0) await sleep(250);
}

/**
 * No new ledger line for three leases: nothing more will finish (lost tasks never do).
 * Stats cannot tell: a lapsed lease counts as ready there.
 */
async function quiet(current: RedisLedgerRun, leaseMs: number, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let lines = -1;
  while (Date.now() < deadline) {
    const now = current.ledger().length;
    if (now === lines) return;
    lines = now;
    await sleep(3 * leaseMs);
  }
}

/** Warning and error lines the current incarnation of each worker printed. */
function workerComplaints(current: RedisLedgerRun): string[] {
  const complaints = WORKERS.flatMap((name) =>
    current.driver
      .get(name)
      .output()
      .split('\n')
      .filter((line) => /warning|error/i.test(line))
      .map((line) => `${name}: ${line}`),
  );
  return [`worker warnings and errors since their last start: ${complaints.length}`].concat(
    complaints.slice(0, 10),
  );
}

function describeThroughput(
  current: RedisLedgerRun,
  outage: RedisOutage,
  recovery: ThroughputRecovery,
): string {
  const entries = current.ledger();
  const firstDoneAt = doneTimes(entries).reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  const within =
    recovery.recoveredAfterMs !== undefined && recovery.recoveredAfterMs <= RECOVERY_BOUND_MS;
  return [
    formatRecovery(recovery),
    `  within the issue's ${RECOVERY_BOUND_MS} ms bound: ${within ? 'yes' : 'NO'}`,
    `  done per second over the run: ${donePerSecond(entries).join(' ')}`,
    `  redis killed ${outage.killedAt - firstDoneAt} ms after the first done line`,
  ].join('\n');
}

function judge(seed: number, log: readonly string[], startedAt: number): LedgerReport {
  const report = checkLedger(run?.ledger() ?? []);
  console.log(
    `seed ${seed}, ${Date.now() - startedAt} ms\n${log.join('\n')}\n${formatLedgerReport(report)}`,
  );
  return report;
}

describe('a ledger run on Redis with workers SIGKILLed and redis-server kill -9 + restart', () => {
  it(
    `loses nothing and explains every duplicate; prints throughput recovery (${TASKS} tasks)`,
    { timeout: 120_000 + TASKS * 5 },
    async () => {
      const seed = pickSeed();
      const startedAt = Date.now();
      const log: string[] = [`ledger run seed ${seed} (replay with STEM_TEST_SEED=${seed})`];
      log.push(`${TASKS} tasks, appendfsync ${APPENDFSYNC}, concurrency ${CONCURRENCY}/worker`);
      run = await RedisLedgerRun.start({ seed, appendfsync: APPENDFSYNC, log: (l) => log.push(l) });
      const current = run;
      const env = { STEM_TEST_LEASE_MS: String(LEASE_MS), STEM_TEST_CONCURRENCY: CONCURRENCY };
      await Promise.all(WORKERS.map((name) => current.spawnWorker(name, env)));
      const enqueued = current.enqueueMany(sleepTasks(TASKS, seed, [20, 40]));
      const faults = doneAtLeast(current, FAULTS_AFTER_DONE).then(() =>
        current.driver.runSchedule({
          faults: KILLS,
          everyMs: [300, 800],
          kinds: ['sigkill'],
          targets: WORKERS,
        }),
      );
      const [taskIds] = await Promise.all([enqueued, faults]);
      // Every worker back and working steadily: the baseline the recovery is measured on.
      await current.workersReady(WORKERS);
      await sleep(BASELINE_MS + 500);
      const backlog = await current.unsettled();
      const outage: RedisOutage = await current.restartRedis();
      log.push(
        `redis kill -9 with ${backlog} messages unsettled; ready after ${outage.readyAt - outage.killedAt} ms`,
      );
      await drained(current, 60_000 + TASKS * 2);
      log.push(...workerComplaints(current));
      await current.driver.stopAll();
      const report = judge(seed, log, startedAt);
      const recovery = measureRecovery(current.ledger(), outage, { baselineMs: BASELINE_MS });
      console.log(describeThroughput(current, outage, recovery));

      const verdict = `seed ${seed}\n${formatLedgerReport(report)}`;
      expect(report.ok, verdict).toBe(true);
      expect(report.enqueued, verdict).toBe(TASKS);
      expect(taskIds.length).toBe(TASKS);
      expect(report.done, verdict).toBe(TASKS);
      expect(report.lost, verdict).toEqual([]);
      expect(report.unexpected, verdict).toEqual([]);
      expect(report.unexplainedDuplicates, verdict).toBe(0);
      // The kills interrupted work: some tasks had to be started again.
      expect(report.restarted, verdict).toBeGreaterThan(0);
      expect(current.driver.decisions.map((decision) => decision.kind)).toEqual(
        Array.from({ length: KILLS }, () => 'sigkill'),
      );
      // The recovery time is printed, not asserted: on this shared 2-core machine it
      // ranged from 0.75 s to 3.25 s with the load of other test files, too close to the
      // 5 s bound for an assertion that must never flake.
    },
  );

  it(
    'fails when the reclaimer is cut out of the workers (the checker can fail)',
    {
      timeout: 120_000,
    },
    async () => {
      const seed = pickSeed();
      const startedAt = Date.now();
      const log: string[] = [`sabotaged run seed ${seed} (replay with STEM_TEST_SEED=${seed})`];
      run = await RedisLedgerRun.start({ seed, log: (line) => log.push(line) });
      const current = run;
      const env = { STEM_TEST_LEASE_MS: '1000', STEM_TEST_SABOTAGE: 'no-reclaimer' };
      await Promise.all(WORKERS.map((name) => current.spawnWorker(name, env)));
      const enqueued = current.enqueueMany(sleepTasks(1_000, seed, [20, 40]));
      // Two busy workers die for good, each holding leases nobody will ever reclaim; the
      // third drains the rest.
      const faults = doneAtLeast(current, FAULTS_AFTER_DONE).then(() =>
        current.driver.runSchedule({
          faults: 2,
          everyMs: [100, 300],
          kinds: ['sigkill'],
          targets: WORKERS,
          restartAfterKill: false,
        }),
      );
      await Promise.all([enqueued, faults]);
      await quiet(current, 1_000, 60_000);
      await current.driver.stopAll();
      const report = judge(seed, log, startedAt);

      const verdict = `seed ${seed}\n${formatLedgerReport(report)}`;
      expect(report.ok, verdict).toBe(false);
      expect(report.lost.length, verdict).toBeGreaterThan(0);
      expect(report.unexpected, verdict).toEqual([]);
    },
  );
});
