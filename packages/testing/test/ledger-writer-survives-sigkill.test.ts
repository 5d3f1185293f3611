import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LedgerTaskEntry, readLedger, type TornLedgerLine } from '@stem/testing';
import { afterEach, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/ledger-writer-loop.ts', import.meta.url));
let directory: string;
let child: ChildProcess | undefined;

afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
  rmSync(directory, { recursive: true, force: true });
});

/** Starts the writer loop, SIGKILLs it once it has confirmed `atLeast` tasks. */
async function killWriterAfter(atLeast: number): Promise<{ lastConfirmed: number }> {
  child = spawn(process.execPath, ['--import', 'tsx', fixture, directory], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const running = child;
  let lastConfirmed = -1;
  let pending = '';
  const exited = new Promise<NodeJS.Signals | null>((resolve) => {
    running.once('exit', (_code, signal) => resolve(signal));
  });
  await new Promise<void>((resolve, reject) => {
    running.once('exit', (code, signal) =>
      reject(new Error(`writer ended before it was killed (code ${code}, signal ${signal})`)),
    );
    running.stdout?.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      const last = lines[lines.length - 1];
      if (last !== undefined) lastConfirmed = Number(last);
      if (lastConfirmed >= atLeast) {
        running.kill('SIGKILL');
        resolve();
      }
    });
  });
  expect(await exited).toBe('SIGKILL');
  // Confirmations still in the pipe when the kill landed were written before it too.
  for (const line of pending.split('\n')) if (line !== '') lastConfirmed = Number(line);
  return { lastConfirmed };
}

describe('LedgerWriter and readLedger', () => {
  it('keep every line written before a SIGKILL, in order, and tolerate a torn last line', async () => {
    directory = mkdtempSync(join(tmpdir(), 'stem-ledger-'));
    const { lastConfirmed } = await killWriterAfter(500);

    const entries = readLedger(directory) as LedgerTaskEntry[];
    // Every confirmed task has both lines, and the file is a gap-free prefix.
    expect(entries.length).toBeGreaterThanOrEqual((lastConfirmed + 1) * 2);
    entries.forEach((entry, position) => {
      expect(entry.taskId).toBe(`t-${Math.floor(position / 2)}`);
      expect(entry.event).toBe(position % 2 === 0 ? 'started' : 'done');
      expect(entry).toMatchObject({ process: 'writer', attempt: 1 });
    });

    // Simulate the crash cutting a line in half.
    const [file] = readdirSync(directory);
    const path = join(directory, file ?? '');
    appendFileSync(path, '{"event":"done","taskId":"t-torn","at":17');
    const torn: TornLedgerLine[] = [];
    const afterTear = readLedger(directory, { onTornLine: (line) => torn.push(line) });
    expect(afterTear).toEqual(entries);
    expect(torn).toEqual([{ file: path, text: '{"event":"done","taskId":"t-torn","at":17' }]);
  });

  it('refuses a broken line that is not the last one', () => {
    directory = mkdtempSync(join(tmpdir(), 'stem-ledger-'));
    const good = JSON.stringify({ event: 'enqueued', taskId: 'a', at: 1, process: 'p', pid: 1 });
    writeFileSync(join(directory, 'p.1.1.jsonl'), `${good}\n{"event":"do\n${good}\n`);
    expect(() => readLedger(directory)).toThrow(
      /p\.1\.1\.jsonl line 2 is invalid \(not valid JSON\)/,
    );
  });

  it('merges the files of several processes in time order', () => {
    directory = mkdtempSync(join(tmpdir(), 'stem-ledger-'));
    const line = (event: string, at: number, process: string) =>
      `${JSON.stringify({ event, taskId: 'a', at, process, pid: 1 })}\n`;
    writeFileSync(join(directory, 'producer.1.1.jsonl'), line('enqueued', 10, 'producer'));
    writeFileSync(
      join(directory, 'worker.2.1.jsonl'),
      line('started', 20, 'w') + line('done', 40, 'w'),
    );
    writeFileSync(join(directory, 'zz.3.1.jsonl'), line('started', 30, 'zz'));
    writeFileSync(join(directory, 'notes.txt'), 'not a ledger file');
    expect(readLedger(directory).map((entry) => entry.at)).toEqual([10, 20, 30, 40]);
  });
});
