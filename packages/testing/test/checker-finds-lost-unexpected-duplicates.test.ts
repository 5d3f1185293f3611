import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkLedger,
  formatLedgerReport,
  type LedgerEntry,
  LedgerWriter,
  readLedger,
} from '@stem/testing';
import { describe, expect, it } from 'vitest';

type TaskEvent = 'enqueued' | 'started' | 'done';

function task(event: TaskEvent, taskId: string, at: number, process = 'worker-1'): LedgerEntry {
  return { event, taskId, at, process, pid: 100 };
}

/** enqueued, started and done for each id: a clean run. */
function cleanRun(ids: readonly string[]): LedgerEntry[] {
  return ids.flatMap((id, index) => [
    task('enqueued', id, index * 10, 'producer'),
    task('started', id, index * 10 + 1),
    task('done', id, index * 10 + 2),
  ]);
}

describe('checkLedger', () => {
  it('passes a run where every enqueued task is done exactly once', () => {
    const report = checkLedger(cleanRun(['a', 'b', 'c']));
    expect(report).toMatchObject({
      enqueued: 3,
      done: 3,
      lost: [],
      unexpected: [],
      duplicates: [],
      unexplainedDuplicates: 0,
      ok: true,
    });
  });

  it('reports a task enqueued but never done as lost', () => {
    const entries = [...cleanRun(['a', 'b']), task('enqueued', 'c', 50, 'producer')];
    entries.push(task('started', 'c', 51));
    const report = checkLedger(entries);
    expect(report.lost).toEqual(['c']);
    expect(report.ok).toBe(false);
  });

  it('reports a task run but never enqueued as unexpected', () => {
    const entries = [...cleanRun(['a']), task('started', 'ghost', 60), task('done', 'ghost', 61)];
    const report = checkLedger(entries);
    expect(report.unexpected).toEqual(['ghost']);
    expect(report.lost).toEqual([]);
    expect(report.ok).toBe(false);
  });

  it('reports a task done twice without any fault as an unexplained duplicate', () => {
    const entries = [...cleanRun(['a', 'b']), task('started', 'a', 30, 'w2')];
    entries.push(task('done', 'a', 31, 'w2'));
    const report = checkLedger(entries);
    expect(report.duplicates).toEqual([
      expect.objectContaining({ taskId: 'a', doneCount: 2, doneBy: ['worker-1', 'w2'] }),
    ]);
    expect(report.duplicates[0]?.explained).toBe(false);
    expect(report.unexplainedDuplicates).toBe(1);
    expect(report.restarted).toBe(1);
    expect(report.ok).toBe(false);
  });

  it('does not count a redelivery that finished once as a duplicate', () => {
    const entries = [...cleanRun(['a']), task('started', 'a', 30, 'w2')];
    const report = checkLedger(entries);
    expect(report).toMatchObject({ restarted: 1, duplicates: [], ok: true });
  });

  it('formats counts and at most ten ids of each finding', () => {
    const ids = Array.from({ length: 12 }, (_, index) => `lost-${index}`);
    const entries = [
      ...ids.map((id, index) => task('enqueued', id, index, 'producer')),
      ...cleanRun(['ok-1']),
      task('done', 'ghost', 99),
    ];
    const text = formatLedgerReport(checkLedger(entries));
    expect(text).toContain('ledger FAILED: 13 enqueued, 2 done');
    expect(text).toContain('lost: 12 [lost-0, lost-1,');
    expect(text).toContain('lost-9, … 2 more]');
    expect(text).not.toContain('lost-10');
    expect(text).toContain('unexpected: 1 [ghost]');
  });

  it('finds the same problems in a ledger written by several processes', () => {
    const directory = mkdtempSync(join(tmpdir(), 'stem-ledger-'));
    try {
      const producer = new LedgerWriter({ directory, processName: 'producer' });
      const worker = new LedgerWriter({ directory, processName: 'worker-1' });
      for (const id of ['a', 'b', 'c']) producer.enqueued(id);
      for (const id of ['a', 'b', 'a', 'z']) {
        worker.started(id, { attempt: 1 });
        worker.done(id, { attempt: 1 });
      }
      producer.close();
      worker.close();
      const report = checkLedger(readLedger(directory));
      expect(report.lost).toEqual(['c']);
      expect(report.unexpected).toEqual(['z']);
      expect(report.duplicates.map((duplicate) => duplicate.taskId)).toEqual(['a']);
      expect(report.ok).toBe(false);
      expect(() => worker.done('late')).toThrow(/is closed/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
