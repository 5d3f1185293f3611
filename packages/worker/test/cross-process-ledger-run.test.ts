// The ledger run on the in-memory adapters: thousands of tasks through three worker
// processes while a seeded fault driver SIGKILLs workers and restarts them. The ledger
// (written by the producer, the task handlers and the driver, never by Stem) must show
// nothing lost, nothing unexpected and every duplicate explained by a kill. Its twin runs
// workers sabotaged to ack before the handler runs, and the checker must then fail.
// Replay a run with STEM_TEST_SEED=<seed printed in the log or the failure>.
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
import { countByTask, XprocRun } from './support/xproc-run';
import { SLEEP_TASK } from './support/xproc-tasks';

const WORKERS = ['worker-1', 'worker-2', 'worker-3'];
const KILLS = 5;
const LEASE_MS = 1_000;
const DRAIN_DEADLINE_MS = 90_000;

let run: XprocRun | undefined;

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
    task: SLEEP_TASK,
    args: { ms: randomIntBetween(random, msRange[0], msRange[1]) },
  }));
}

interface LedgerRunOptions {
  seed: number;
  tasks: number;
  taskMs: [number, number];
  everyMs: [number, number];
  env?: Record<string, string>;
  /** Resolves when the run may be judged (every task done, or the run went quiet). */
  settled: (current: XprocRun, taskIds: readonly string[]) => Promise<void>;
}

/** Starts the workers, enqueues while the driver kills, waits for `settled`, judges. */
async function ledgerRun(options: LedgerRunOptions): Promise<LedgerReport> {
  const log: string[] = [];
  const startedAt = Date.now();
  run = await XprocRun.start({ seed: options.seed, log: (line) => log.push(line) });
  const current = run;
  const env = { STEM_TEST_LEASE_MS: String(LEASE_MS), ...options.env };
  await Promise.all(WORKERS.map((name) => current.spawnWorker(name, env)));
  const schedule = current.driver.runSchedule({
    faults: KILLS,
    everyMs: options.everyMs,
    kinds: ['sigkill'],
    targets: WORKERS,
  });
  const taskIds = await current.enqueueMany(
    sleepTasks(options.tasks, options.seed, options.taskMs),
  );
  await schedule;
  await options.settled(current, taskIds);
  await current.driver.stopAll();
  const report = checkLedger(current.ledger());
  console.log(
    `ledger run seed ${options.seed}, ${options.tasks} tasks, ${Date.now() - startedAt} ms\n` +
      `${log.join('\n')}\n${formatLedgerReport(report)}`,
  );
  return report;
}

/** Every enqueued task has a `done` line, or the deadline passed. */
async function allDone(current: XprocRun, taskIds: readonly string[]): Promise<void> {
  const deadline = Date.now() + DRAIN_DEADLINE_MS;
  while (Date.now() < deadline) {
    const done = countByTask(current.ledger(), 'done');
    if (taskIds.every((id) => done.has(id))) return;
    await sleep(250);
  }
}

/**
 * The queue is empty and no task line was written for two leases: nothing more will
 * finish (lost tasks never do), so the run can be judged without waiting for them.
 */
async function quiet(current: XprocRun): Promise<void> {
  const deadline = Date.now() + DRAIN_DEADLINE_MS;
  let lines = -1;
  while (Date.now() < deadline) {
    const stats = await current.client.broker.stats('default');
    const now = current.ledger().length;
    if (stats.ready + stats.delayed + stats.inFlight === 0 && now === lines) return;
    lines = now;
    await sleep(2 * LEASE_MS);
  }
}

describe('a ledger run with worker processes SIGKILLed at seeded moments', () => {
  it('loses nothing and explains every duplicate', async () => {
    const seed = pickSeed();
    console.log(`ledger run seed ${seed} (replay with STEM_TEST_SEED=${seed})`);
    const tasks = 5_000;
    const report = await ledgerRun({
      seed,
      tasks,
      taskMs: [0, 10],
      everyMs: [300, 900],
      settled: allDone,
    });
    const verdict = `seed ${seed}\n${formatLedgerReport(report)}`;
    expect(report.ok, verdict).toBe(true);
    expect(report.enqueued, verdict).toBe(tasks);
    expect(report.done, verdict).toBe(tasks);
    expect(report.lost, verdict).toEqual([]);
    expect(report.unexpected, verdict).toEqual([]);
    expect(report.unexplainedDuplicates, verdict).toBe(0);
    // The kills interrupted work: some tasks had to be started again.
    expect(report.restarted, verdict).toBeGreaterThan(0);
    expect(run?.driver.decisions.map((decision) => decision.kind)).toEqual(
      Array.from({ length: KILLS }, () => 'sigkill'),
    );
  }, 150_000);

  it('fails when the workers ack before running the handler (the checker can fail)', async () => {
    const seed = pickSeed();
    console.log(`sabotaged run seed ${seed} (replay with STEM_TEST_SEED=${seed})`);
    const report = await ledgerRun({
      seed,
      tasks: 1_000,
      taskMs: [20, 60],
      everyMs: [150, 400],
      env: { STEM_TEST_SABOTAGE: 'early-ack' },
      settled: (current) => quiet(current),
    });
    const verdict = `seed ${seed}\n${formatLedgerReport(report)}`;
    expect(report.ok, verdict).toBe(false);
    expect(report.lost.length, verdict).toBeGreaterThan(0);
    expect(report.unexpected, verdict).toEqual([]);
  }, 150_000);
});
