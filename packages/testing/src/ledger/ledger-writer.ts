/**
 * Appends ledger lines for one process. Every line is one `write(2)` on a file opened
 * for append, synchronously, before the call returns: once `started()` returns, the
 * line is in the kernel and survives a SIGKILL of this process a moment later. Each
 * process incarnation gets its own file, so a line torn by a crash can only ever be
 * the last line of a file, never sit between two good ones.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type {
  LedgerEntry,
  LedgerFaultEntry,
  LedgerFaultKind,
  LedgerTaskEntry,
  LedgerTaskEvent,
} from './ledger-entry';

export interface LedgerWriterOptions {
  /** Directory shared by every process of the run; created if missing. */
  directory: string;
  /** Name written on each line and used in the file name (`producer`, `worker-1`). */
  processName: string;
  /** Clock for `at`, in epoch ms. @default Date.now */
  now?: () => number;
}

/** Extra facts a task line may carry. */
export interface LedgerTaskFacts {
  /** Delivery or retry attempt as the worker saw it. */
  attempt?: number;
}

/** Extra facts a fault line may carry. */
export interface LedgerFaultFacts {
  targetPid?: number;
  seed?: number;
  step?: number;
  detail?: string;
}

const PROCESS_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Append-only JSONL ledger for one process: `<directory>/<processName>.<pid>.<ms>.jsonl`. */
export class LedgerWriter {
  /** Path of this process's ledger file. */
  readonly path: string;
  readonly processName: string;
  readonly #now: () => number;
  #fd: number | undefined;

  constructor(options: LedgerWriterOptions) {
    if (!PROCESS_NAME_PATTERN.test(options.processName)) {
      throw new Error(
        `ledger process name "${options.processName}" must be letters, digits, ".", "_" or "-"`,
      );
    }
    this.processName = options.processName;
    this.#now = options.now ?? Date.now;
    mkdirSync(options.directory, { recursive: true });
    this.path = join(
      options.directory,
      `${options.processName}.${process.pid}.${Date.now()}.jsonl`,
    );
    // 'a' opens with O_APPEND: concurrent writers never overwrite each other's lines.
    this.#fd = openSync(this.path, 'a');
  }

  /** A producer handed the task to the broker (write it after publish resolved). */
  enqueued(taskId: string, facts: LedgerTaskFacts = {}): void {
    this.#task('enqueued', taskId, facts);
  }

  /** A worker began running the task's handler. */
  started(taskId: string, facts: LedgerTaskFacts = {}): void {
    this.#task('started', taskId, facts);
  }

  /** A worker finished the task (handler returned and its outcome was recorded). */
  done(taskId: string, facts: LedgerTaskFacts = {}): void {
    this.#task('done', taskId, facts);
  }

  /** A fault inflicted on `target`; written by the fault driver. */
  fault(kind: LedgerFaultKind, target: string, facts: LedgerFaultFacts = {}): void {
    const entry: LedgerFaultEntry = {
      event: 'fault',
      kind,
      target,
      at: this.#now(),
      process: this.processName,
      pid: process.pid,
      ...facts,
    };
    this.write(entry);
  }

  /** Appends one entry as one line with a single write. */
  write(entry: LedgerEntry): void {
    if (this.#fd === undefined) throw new Error(`ledger ${this.path} is closed`);
    const bytes = Buffer.from(`${JSON.stringify(entry)}\n`, 'utf8');
    let offset = 0;
    // A regular-file write returns short only on a full disk or similar; loop rather
    // than drop the tail, accepting that such a line is no longer one write(2).
    while (offset < bytes.length) {
      offset += writeSync(this.#fd, bytes, offset, bytes.length - offset);
    }
  }

  /** Closes the file. Lines already written stay; later writes throw. */
  close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }

  #task(event: LedgerTaskEvent, taskId: string, facts: LedgerTaskFacts): void {
    const entry: LedgerTaskEntry = {
      event,
      taskId,
      at: this.#now(),
      process: this.processName,
      pid: process.pid,
      ...(facts.attempt === undefined ? {} : { attempt: facts.attempt }),
    };
    this.write(entry);
  }
}
