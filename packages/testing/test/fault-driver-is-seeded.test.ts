import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FaultDecision,
  FaultDriver,
  type LedgerFaultEntry,
  readLedger,
  seededRandom,
} from '@stem/testing';
import { afterEach, describe, expect, it } from 'vitest';

// Children that just sleep until they are hurt.
const SLEEPER = ['-e', 'setInterval(() => {}, 1_000)'];
const drivers: FaultDriver[] = [];
const directories: string[] = [];

afterEach(async () => {
  await Promise.all(drivers.splice(0).map((driver) => driver.stopAll()));
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

function newLedgerDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'stem-faults-'));
  directories.push(directory);
  return directory;
}

async function scheduleWithSeed(seed: number, ledgerDirectory?: string): Promise<FaultDecision[]> {
  const driver = new FaultDriver({ seed, ledgerDirectory });
  drivers.push(driver);
  for (const name of ['worker-1', 'worker-2', 'worker-3']) {
    await driver.spawnManaged(name, process.execPath, SLEEPER);
  }
  return driver.runSchedule({
    faults: 5,
    everyMs: [5, 25],
    kinds: ['sigkill', 'sigstop', 'restart'],
    pauseMs: [10, 40],
  });
}

describe('FaultDriver', () => {
  it('takes the same victims, kinds and delays for the same seed', async () => {
    const [first, second, other] = await Promise.all([
      scheduleWithSeed(1234),
      scheduleWithSeed(1234),
      scheduleWithSeed(4321),
    ]);
    expect(first).toHaveLength(5);
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
    for (const decision of first) {
      expect(decision.delayMs).toBeGreaterThanOrEqual(5);
      expect(decision.delayMs).toBeLessThanOrEqual(25);
    }
  });

  it('writes every fault to the ledger with its seed and step', async () => {
    const directory = newLedgerDirectory();
    const decisions = await scheduleWithSeed(77, directory);
    const faults = readLedger(directory) as LedgerFaultEntry[];
    expect(faults.every((fault) => fault.event === 'fault' && fault.seed === 77)).toBe(true);
    // A sigstop is followed by its sigcont; a restart is preceded by the kill it needs.
    const expected = decisions.flatMap((decision) => {
      const hit = { target: decision.target, step: decision.step };
      if (decision.kind === 'sigstop') {
        return [
          { ...hit, kind: 'sigstop' },
          { ...hit, kind: 'sigcont' },
        ];
      }
      return [
        { ...hit, kind: 'sigkill' },
        { ...hit, kind: 'restart' },
      ];
    });
    expect(faults.map(({ target, step, kind }) => ({ target, step, kind }))).toEqual(expected);
  });

  it('keeps every process alive through kills by restarting it, and stopAll ends them all', async () => {
    const driver = new FaultDriver({ seed: 5 });
    drivers.push(driver);
    const first = await driver.spawnManaged('worker', process.execPath, SLEEPER);
    await driver.runSchedule({ faults: 2, everyMs: [1, 5] });
    const current = driver.get('worker');
    expect(first.running).toBe(false);
    expect(first.exit).toMatchObject({ signal: 'SIGKILL', expected: true });
    expect(current.pid).not.toBe(first.pid);
    expect(current.running).toBe(true);
    await driver.stopAll();
    expect(current.running).toBe(false);
  });

  it('records a managed process that dies on its own as an exit fault', async () => {
    const directory = newLedgerDirectory();
    const driver = new FaultDriver({ seed: 1, ledgerDirectory: directory });
    drivers.push(driver);
    const crasher = await driver.spawnManaged('crasher', process.execPath, [
      '-e',
      "process.kill(process.pid, 'SIGKILL')",
    ]);
    await crasher.exited;
    await driver.stopAll();
    expect(readLedger(directory)).toEqual([
      expect.objectContaining({
        event: 'fault',
        kind: 'exit',
        target: 'crasher',
        targetPid: crasher.pid,
        detail: 'signal SIGKILL',
      }),
    ]);
  });

  it('refuses to start a second process under a running name, and unknown names', async () => {
    const driver = new FaultDriver({ seed: 1 });
    drivers.push(driver);
    await driver.spawnManaged('worker', process.execPath, SLEEPER);
    await expect(driver.spawnManaged('worker', process.execPath, SLEEPER)).rejects.toThrow(
      /already running/,
    );
    await expect(driver.spawnManaged('ghost', '/nonexistent/binary')).rejects.toThrow(
      /cannot start ghost/,
    );
    expect(() => driver.get('nobody')).toThrow(/no managed process named nobody/);
  });
});

describe('seededRandom', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 5 }, () => random());
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
    for (const value of draw(99)) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
    expect(() => seededRandom(Number.NaN)).toThrow(/safe integer/);
  });
});
