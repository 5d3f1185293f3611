/**
 * The verdict on a ledger run: which tasks were lost (enqueued, never done), which
 * were unexpected (run but never enqueued), and which ran to completion more than once.
 * At-least-once delivery allows a duplicate only when a fault can account for it, so
 * each duplicate is checked against the fault lines and marked explained or not.
 */
import {
  isTaskEntry,
  type LedgerEntry,
  type LedgerFaultEntry,
  type LedgerFaultKind,
  type LedgerTaskEntry,
} from './ledger-entry';

export interface CheckLedgerOptions {
  /**
   * How long after a task's start or done line a fault may come and still explain a
   * duplicate of it, in ms. @default 30_000
   */
  explainWindowMs?: number;
  /**
   * Fault targets that are servers: a fault on one explains a duplicate of any task
   * that was in flight, not only of tasks run by the target. @default every fault
   * target that wrote no task lines itself
   */
  serverTargets?: readonly string[];
}

/** A task done more than once, and whether a fault accounts for it. */
export interface LedgerDuplicate {
  taskId: string;
  doneCount: number;
  /** Processes that wrote its `done` lines, in time order. */
  doneBy: string[];
  explained: boolean;
  /** The fault that explains it, or why none does. */
  explanation: string;
}

export interface LedgerReport {
  /** Distinct tasks enqueued. */
  enqueued: number;
  /** Distinct tasks done at least once. */
  done: number;
  /** Distinct tasks started more than once (redeliveries and retries; not an error). */
  restarted: number;
  /** Task ids enqueued but never done. */
  lost: string[];
  /** Task ids started or done but never enqueued. */
  unexpected: string[];
  duplicates: LedgerDuplicate[];
  unexplainedDuplicates: number;
  /** Fault lines in the ledger. */
  faults: number;
  /** Distinct driver seeds found on fault lines, to replay the run. */
  seeds: number[];
  /** True when nothing is lost, nothing unexpected and every duplicate is explained. */
  ok: boolean;
}

/** Fault kinds that can cause a redelivery; a `sigcont` only ends a `sigstop`. */
const EXPLAINING_KINDS: ReadonlySet<LedgerFaultKind> = new Set<LedgerFaultKind>([
  'sigkill',
  'sigstop',
  'restart',
  'exit',
]);

interface TaskHistory {
  enqueued: boolean;
  runs: LedgerTaskEntry[];
  dones: LedgerTaskEntry[];
}

/** Checks a ledger (from `readLedger`) and returns the verdict; never throws on findings. */
export function checkLedger(
  entries: readonly LedgerEntry[],
  options: CheckLedgerOptions = {},
): LedgerReport {
  const explainWindowMs = options.explainWindowMs ?? 30_000;
  const ordered = [...entries].sort((a, b) => a.at - b.at);
  const tasks = new Map<string, TaskHistory>();
  const faults: LedgerFaultEntry[] = [];
  const taskWriters = new Set<string>();
  for (const entry of ordered) {
    if (!isTaskEntry(entry)) {
      faults.push(entry);
      continue;
    }
    taskWriters.add(entry.process);
    let history = tasks.get(entry.taskId);
    if (history === undefined) {
      history = { enqueued: false, runs: [], dones: [] };
      tasks.set(entry.taskId, history);
    }
    if (entry.event === 'enqueued') history.enqueued = true;
    else history.runs.push(entry);
    if (entry.event === 'done') history.dones.push(entry);
  }
  const servers = new Set(
    options.serverTargets ?? faults.map((f) => f.target).filter((t) => !taskWriters.has(t)),
  );
  const explaining = faults.filter((fault) => EXPLAINING_KINDS.has(fault.kind));

  const lost: string[] = [];
  const unexpected: string[] = [];
  const duplicates: LedgerDuplicate[] = [];
  let enqueued = 0;
  let done = 0;
  let restarted = 0;
  for (const [taskId, history] of tasks) {
    if (history.enqueued) enqueued += 1;
    if (history.dones.length > 0) done += 1;
    if (history.runs.filter((run) => run.event === 'started').length > 1) restarted += 1;
    if (history.enqueued && history.dones.length === 0) lost.push(taskId);
    if (!history.enqueued && history.runs.length > 0) unexpected.push(taskId);
    if (history.dones.length > 1) {
      duplicates.push(explainDuplicate(taskId, history, explaining, servers, explainWindowMs));
    }
  }
  const unexplainedDuplicates = duplicates.filter((duplicate) => !duplicate.explained).length;
  return {
    enqueued,
    done,
    restarted,
    lost,
    unexpected,
    duplicates,
    unexplainedDuplicates,
    faults: faults.length,
    seeds: [...new Set(faults.flatMap((f) => (f.seed === undefined ? [] : [f.seed])))],
    ok: lost.length === 0 && unexpected.length === 0 && unexplainedDuplicates === 0,
  };
}

/**
 * A duplicate is explained by a fault that came after one of the task's start/done
 * lines (within the window) and no later than its last done, and that hit either the
 * process which wrote that line or a server every process depended on.
 */
function explainDuplicate(
  taskId: string,
  history: TaskHistory,
  faults: readonly LedgerFaultEntry[],
  servers: ReadonlySet<string>,
  explainWindowMs: number,
): LedgerDuplicate {
  const lastDoneAt = history.dones[history.dones.length - 1]?.at ?? 0;
  const base = {
    taskId,
    doneCount: history.dones.length,
    doneBy: history.dones.map((entry) => entry.process),
  };
  for (const fault of faults) {
    if (fault.at > lastDoneAt) break;
    // The latest qualifying line gives the tightest, most telling explanation.
    const run = [...history.runs]
      .reverse()
      .find(
        (entry) =>
          entry.at <= fault.at &&
          fault.at - entry.at <= explainWindowMs &&
          (servers.has(fault.target) || entry.process === fault.target),
      );
    if (run === undefined) continue;
    const scope = servers.has(fault.target) ? 'server' : 'the process that ran it';
    return {
      ...base,
      explained: true,
      explanation: `${fault.kind} of ${fault.target} (${scope}) ${fault.at - run.at} ms after its ${run.event} in ${run.process}`,
    };
  }
  return {
    ...base,
    explained: false,
    explanation: `no sigkill, sigstop, restart or exit of its processes or a server within ${explainWindowMs} ms after a start or done`,
  };
}
