import {
  type CheckLedgerOptions,
  checkLedger,
  formatLedgerReport,
  type LedgerEntry,
  type LedgerFaultKind,
} from '@stem/testing';
import { describe, expect, it } from 'vitest';

// Task `a` ran to completion in worker-1 (start 1_000, done 1_100) and again in
// worker-2 (start 40_000, done 40_100); worker-3 ran task `b` at the same time.
const duplicateRun: LedgerEntry[] = [
  { event: 'enqueued', taskId: 'a', at: 900, process: 'producer', pid: 1 },
  { event: 'enqueued', taskId: 'b', at: 901, process: 'producer', pid: 1 },
  { event: 'started', taskId: 'a', at: 1_000, process: 'worker-1', pid: 11 },
  { event: 'started', taskId: 'b', at: 1_000, process: 'worker-3', pid: 13 },
  { event: 'done', taskId: 'a', at: 1_100, process: 'worker-1', pid: 11 },
  { event: 'done', taskId: 'b', at: 1_100, process: 'worker-3', pid: 13 },
  { event: 'started', taskId: 'a', at: 40_000, process: 'worker-2', pid: 12, attempt: 2 },
  { event: 'done', taskId: 'a', at: 40_100, process: 'worker-2', pid: 12, attempt: 2 },
];

function withFault(kind: LedgerFaultKind, target: string, at: number): LedgerEntry[] {
  return [
    ...duplicateRun,
    { event: 'fault', kind, target, at, process: 'fault-driver', pid: 2, seed: 9 },
  ];
}

function verdict(entries: LedgerEntry[], options?: CheckLedgerOptions) {
  const report = checkLedger(entries, options);
  return { ok: report.ok, explanation: report.duplicates[0]?.explanation ?? '' };
}

describe('checkLedger explains a duplicate only by a fault near it', () => {
  it('leaves a duplicate with no fault at all unexplained', () => {
    const report = checkLedger(duplicateRun);
    expect(report.unexplainedDuplicates).toBe(1);
    expect(report.ok).toBe(false);
    expect(formatLedgerReport(report)).toContain('UNEXPLAINED a done 2x by worker-1, worker-2');
  });

  it.each<LedgerFaultKind>(['sigkill', 'sigstop', 'exit', 'restart'])(
    'explains it by a %s of the process that ran it, right after',
    (kind) => {
      const result = verdict(withFault(kind, 'worker-1', 1_200));
      expect(result).toEqual({
        ok: true,
        explanation: `${kind} of worker-1 (the process that ran it) 100 ms after its done in worker-1`,
      });
    },
  );

  it('does not explain it by a sigcont alone', () => {
    expect(verdict(withFault('sigcont', 'worker-1', 1_200)).ok).toBe(false);
  });

  it('does not explain it by a kill of a worker that never ran the task', () => {
    expect(verdict(withFault('sigkill', 'worker-3', 1_200)).ok).toBe(false);
  });

  it('does not explain it by a kill before the task started or after its last done', () => {
    expect(verdict(withFault('sigkill', 'worker-1', 500)).ok).toBe(false);
    expect(verdict(withFault('sigkill', 'worker-2', 40_200)).ok).toBe(false);
  });

  it('does not explain it by a kill outside the window, unless the window is widened', () => {
    const late = withFault('sigkill', 'worker-1', 1_100 + 31_000);
    expect(verdict(late).ok).toBe(false);
    expect(verdict(late, { explainWindowMs: 60_000 }).ok).toBe(true);
  });

  it('explains it by a restart of a server while the task was in flight', () => {
    const result = verdict(withFault('restart', 'redis', 20_000));
    expect(result).toEqual({
      ok: true,
      explanation: 'restart of redis (server) 18900 ms after its done in worker-1',
    });
    expect(verdict(withFault('restart', 'redis', 35_000)).ok).toBe(false);
  });

  it('treats only the named targets as servers when serverTargets is given', () => {
    const killOfWorker3 = withFault('sigkill', 'worker-3', 1_200);
    expect(verdict(killOfWorker3, { serverTargets: ['worker-3'] }).ok).toBe(true);
    expect(verdict(withFault('restart', 'redis', 20_000), { serverTargets: [] }).ok).toBe(false);
  });

  it('still fails a run with an explained duplicate when a task is lost', () => {
    const entries = withFault('sigkill', 'worker-1', 1_200);
    entries.push({ event: 'enqueued', taskId: 'c', at: 2_000, process: 'producer', pid: 1 });
    const report = checkLedger(entries);
    expect(report).toMatchObject({ unexplainedDuplicates: 0, lost: ['c'], ok: false, seeds: [9] });
    expect(formatLedgerReport(report)).toContain('replay with fault driver seed 9');
  });
});
