/**
 * The lines of a reliability ledger: what producers, workers and the fault driver
 * append as JSONL while a run is under way, independent of the system under test.
 * `parseLedgerLine` validates one line so the checker never reasons about junk.
 */

/** Task lifecycle moments written by the processes under test. */
export type LedgerTaskEvent = 'enqueued' | 'started' | 'done';

/**
 * What a fault did: `sigkill`, `sigstop`, `sigcont` and `restart` are the driver's own
 * actions; `exit` is a managed process ending without being asked (a crash, or a
 * failpoint that killed or exited it).
 */
export type LedgerFaultKind = 'sigkill' | 'sigstop' | 'sigcont' | 'restart' | 'exit';

/** A task moment: enqueued by a producer, started or done by a worker. */
export interface LedgerTaskEntry {
  event: LedgerTaskEvent;
  taskId: string;
  /** Epoch ms when the line was written. */
  at: number;
  /** Name of the writing process (`producer`, `worker-2`). */
  process: string;
  pid: number;
  /** Delivery or retry attempt as the worker saw it, when it knows. */
  attempt?: number;
}

/** A fault inflicted on (or observed in) a managed process or server. */
export interface LedgerFaultEntry {
  event: 'fault';
  kind: LedgerFaultKind;
  /** The managed name of the process hit (`worker-1`, `redis`). */
  target: string;
  /** Epoch ms when the fault was inflicted or observed. */
  at: number;
  /** Name of the process that wrote the line (the fault driver). */
  process: string;
  pid: number;
  /** OS pid of the target at the time, when known. */
  targetPid?: number;
  /** Seed of the driver that decided this fault, for replay. */
  seed?: number;
  /** Position in the driver's seeded schedule, when it came from one. */
  step?: number;
  /** Free text: exit code or signal, pause length. */
  detail?: string;
}

export type LedgerEntry = LedgerTaskEntry | LedgerFaultEntry;

const TASK_EVENTS: ReadonlySet<string> = new Set<LedgerTaskEvent>(['enqueued', 'started', 'done']);
const FAULT_KINDS: ReadonlySet<string> = new Set<LedgerFaultKind>([
  'sigkill',
  'sigstop',
  'sigcont',
  'restart',
  'exit',
]);

/** True for a task line (enqueued, started, done). */
export function isTaskEntry(entry: LedgerEntry): entry is LedgerTaskEntry {
  return entry.event !== 'fault';
}

/**
 * Parses one JSONL line into a ledger entry, or returns an error message saying what
 * is wrong with it. Fields the checker relies on are validated; unknown extras are kept.
 */
export function parseLedgerLine(line: string): LedgerEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'not a JSON object';
  }
  const record = value as Record<string, unknown>;
  if (typeof record.at !== 'number' || !Number.isFinite(record.at)) return '"at" is not a number';
  if (typeof record.process !== 'string') return '"process" is not a string';
  if (typeof record.pid !== 'number') return '"pid" is not a number';
  if (record.event === 'fault') {
    if (typeof record.kind !== 'string' || !FAULT_KINDS.has(record.kind)) {
      return `unknown fault kind ${JSON.stringify(record.kind)}`;
    }
    if (typeof record.target !== 'string') return '"target" is not a string';
    return record as unknown as LedgerFaultEntry;
  }
  if (typeof record.event !== 'string' || !TASK_EVENTS.has(record.event)) {
    return `unknown event ${JSON.stringify(record.event)}`;
  }
  if (typeof record.taskId !== 'string' || record.taskId === '') {
    return '"taskId" is not a non-empty string';
  }
  return record as unknown as LedgerTaskEntry;
}
