/**
 * Reads every `*.jsonl` file of a ledger directory into one list ordered by time. A
 * process killed mid-write may leave its last line torn; that line is dropped and
 * reported. A bad line anywhere else means the harness itself is broken, so it throws.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LedgerEntry, parseLedgerLine } from './ledger-entry';

/** A last line cut short by a crash, dropped by `readLedger`. */
export interface TornLedgerLine {
  file: string;
  text: string;
}

export interface ReadLedgerOptions {
  /** Called for each dropped torn last line. @default ignore them */
  onTornLine?: (torn: TornLedgerLine) => void;
}

/**
 * All entries of all ledger files in `directory`, sorted by `at` (ties keep file order).
 *
 * @throws Error naming file and line when a line other than a file's last is invalid.
 */
export function readLedger(directory: string, options: ReadLedgerOptions = {}): LedgerEntry[] {
  const files = readdirSync(directory)
    .filter((name) => name.endsWith('.jsonl'))
    .sort();
  const entries: LedgerEntry[] = [];
  for (const name of files) {
    const file = join(directory, name);
    // A loop, not push(...): spreading a file of 100,000+ lines overflows the call stack.
    for (const entry of readLedgerFile(file, options)) entries.push(entry);
  }
  // Array.prototype.sort is stable, so one process's lines with equal `at` keep order.
  return entries.sort((a, b) => a.at - b.at);
}

function readLedgerFile(file: string, options: ReadLedgerOptions): LedgerEntry[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  // A complete file ends with '\n', leaving one empty string after the split; anything
  // else there is a line whose single write was cut short by a crash.
  const last = lines.pop() ?? '';
  const entries: LedgerEntry[] = [];
  lines.forEach((line, index) => {
    const parsed = parseLedgerLine(line);
    if (typeof parsed === 'string') {
      throw new Error(`ledger ${file} line ${index + 1} is invalid (${parsed}): ${line}`);
    }
    entries.push(parsed);
  });
  if (last !== '') {
    const parsed = parseLedgerLine(last);
    // Cut exactly before the newline: every byte of the event is there, so keep it.
    if (typeof parsed === 'string') options.onTornLine?.({ file, text: last });
    else entries.push(parsed);
  }
  return entries;
}
