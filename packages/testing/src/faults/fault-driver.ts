/**
 * Inflicts real process faults on a run: SIGKILL, SIGSTOP/SIGCONT and restarts of the
 * child processes (workers, servers) it started. Every random choice comes from one
 * seeded generator drawn in a fixed order, and every fault is logged and appended to
 * the ledger with the seed, so a failing run replays from its seed. Runs in the test
 * process; it never signals anything it did not start.
 */
import { LedgerWriter } from '../ledger/ledger-writer';
import { describeExit, ManagedProcess, type ManagedProcessSpec } from './managed-process';
import { randomIntBetween, seededRandom } from './seeded-random';

export interface FaultDriverOptions {
  /** Seed of every random decision; log it so a failing run can be replayed. */
  seed: number;
  /** Ledger directory for fault lines. @default no ledger */
  ledgerDirectory?: string;
  /** Process name on the driver's ledger lines. @default 'fault-driver' */
  processName?: string;
  /** Receives one line per decision and observed crash. @default discard */
  log?: (line: string) => void;
  /** Working directory of managed processes. @default the test's working directory */
  cwd?: string;
}

/** The faults `runSchedule` can choose from. */
export type ScheduledFaultKind = 'sigkill' | 'sigstop' | 'restart';

export interface FaultScheduleOptions {
  /** How many faults to inflict. */
  faults: number;
  /** Seeded wait before each fault, `[min, max]` in ms, both inclusive. */
  everyMs: readonly [number, number];
  /** Kinds to choose from, seeded. @default ['sigkill'] */
  kinds?: readonly ScheduledFaultKind[];
  /** Names that may be hit. @default every managed process */
  targets?: readonly string[];
  /** How long a `sigstop` pauses its victim, `[min, max]` in ms. @default [500, 2_000] */
  pauseMs?: readonly [number, number];
  /** Start a SIGKILLed victim again right away, so the run keeps its workers. @default true */
  restartAfterKill?: boolean;
}

/** One seeded decision of a schedule; equal seeds and targets give equal decisions. */
export interface FaultDecision {
  step: number;
  delayMs: number;
  kind: ScheduledFaultKind;
  target: string;
  /** Pause length for a `sigstop`, in ms. */
  pauseMs?: number;
}

/** Starts, tracks and hurts child processes; see the module comment. */
export class FaultDriver {
  readonly seed: number;
  readonly #random: () => number;
  readonly #ledger: LedgerWriter | undefined;
  readonly #log: (line: string) => void;
  readonly #cwd: string | undefined;
  readonly #processes = new Map<string, ManagedProcess>();
  readonly #decisions: FaultDecision[] = [];
  readonly #timers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  #step: number | undefined;
  #stopping = false;

  constructor(options: FaultDriverOptions) {
    this.seed = options.seed;
    this.#random = seededRandom(options.seed);
    this.#log = options.log ?? (() => {});
    this.#cwd = options.cwd;
    this.#ledger =
      options.ledgerDirectory === undefined
        ? undefined
        : new LedgerWriter({
            directory: options.ledgerDirectory,
            processName: options.processName ?? 'fault-driver',
          });
  }

  /** Decisions taken so far by `runSchedule`, in order. */
  get decisions(): readonly FaultDecision[] {
    return this.#decisions;
  }

  /** Starts `command` under `name` and keeps its spec for `restart`. */
  async spawnManaged(
    name: string,
    command: string,
    args: readonly string[] = [],
    env: Readonly<Record<string, string>> = {},
  ): Promise<ManagedProcess> {
    if (this.#processes.get(name)?.running === true) throw new Error(`${name} is already running`);
    return this.#start({ name, command, args, env, cwd: this.#cwd });
  }

  /** The current incarnation of `name`. @throws Error for a name never spawned. */
  get(name: string): ManagedProcess {
    const managed = this.#processes.get(name);
    if (managed === undefined) throw new Error(`no managed process named ${name}`);
    return managed;
  }

  /** SIGKILLs `name` and resolves once it is gone. */
  async sigkill(name: string): Promise<void> {
    const managed = this.#running(name);
    managed.signal('SIGKILL', { expectExit: true });
    this.#record('sigkill', managed, `pid ${managed.pid}`);
    await managed.exited;
  }

  /** SIGSTOPs `name`, waits `forMs`, then SIGCONTs it (unless `stopAll` came first). */
  async sigstop(name: string, forMs: number): Promise<void> {
    const managed = this.#running(name);
    managed.signal('SIGSTOP');
    this.#record('sigstop', managed, `for ${forMs} ms`);
    await this.#sleep(forMs);
    if (this.#stopping || !managed.running) return;
    managed.signal('SIGCONT');
    this.#record('sigcont', managed, `after ${forMs} ms`);
  }

  /** Kills `name` if it still runs, then starts it again from the same spec. */
  async restart(name: string): Promise<ManagedProcess> {
    const previous = this.get(name);
    if (previous.running) await this.sigkill(name);
    const next = await this.#start(previous.spec);
    this.#record('restart', next, `pid ${previous.pid} -> ${next.pid}`);
    return next;
  }

  /** A seeded choice among running, unpaused managed processes (optionally only `among`). */
  pickVictim(among?: readonly string[]): string {
    const live = [...this.#processes.values()]
      .filter((managed) => managed.running && !managed.paused)
      .map((managed) => managed.name)
      .filter((name) => among === undefined || among.includes(name))
      .sort();
    // Draw even when nothing is live, so the sequence stays aligned for a replay.
    const draw = this.#random();
    const victim = live[Math.floor(draw * live.length)];
    if (victim === undefined) throw new Error('no running managed process to pick as a victim');
    return victim;
  }

  /**
   * Inflicts `faults` seeded faults at seeded intervals and returns the decisions.
   * Returns early, without error, when `stopAll` is called meanwhile.
   */
  async runSchedule(options: FaultScheduleOptions): Promise<FaultDecision[]> {
    const kinds = options.kinds ?? ['sigkill'];
    const [pauseMin, pauseMax] = options.pauseMs ?? [500, 2_000];
    const taken: FaultDecision[] = [];
    this.#log(`fault driver seed ${this.seed}: ${options.faults} faults of ${kinds.join('/')}`);
    for (let step = 1; step <= options.faults && !this.#stopping; step += 1) {
      // Fixed draw order (delay, victim, kind, pause) keeps a replay in lockstep.
      const delayMs = randomIntBetween(this.#random, options.everyMs[0], options.everyMs[1]);
      await this.#sleep(delayMs);
      if (this.#stopping) break;
      const target = this.pickVictim(options.targets);
      const kind = kinds[Math.floor(this.#random() * kinds.length)] ?? 'sigkill';
      const pauseMs = randomIntBetween(this.#random, pauseMin, pauseMax);
      const decision: FaultDecision = {
        step,
        delayMs,
        kind,
        target,
        ...(kind === 'sigstop' ? { pauseMs } : {}),
      };
      this.#decisions.push(decision);
      taken.push(decision);
      this.#step = step;
      try {
        await this.#inflict(decision, options.restartAfterKill ?? true);
      } finally {
        this.#step = undefined;
      }
    }
    return taken;
  }

  /** SIGKILLs every process still running, cancels pending waits, closes the ledger. */
  async stopAll(): Promise<void> {
    this.#stopping = true;
    for (const pending of this.#timers) {
      clearTimeout(pending.timer);
      pending.wake();
    }
    this.#timers.clear();
    const running = [...this.#processes.values()].filter((managed) => managed.running);
    for (const managed of running) managed.signal('SIGKILL', { expectExit: true });
    await Promise.all(running.map((managed) => managed.exited));
    this.#ledger?.close();
  }

  async #inflict(decision: FaultDecision, restartAfterKill: boolean): Promise<void> {
    if (decision.kind === 'sigstop') return this.sigstop(decision.target, decision.pauseMs ?? 0);
    if (decision.kind === 'restart' || restartAfterKill) {
      await this.restart(decision.target);
      return;
    }
    await this.sigkill(decision.target);
  }

  async #start(spec: ManagedProcessSpec): Promise<ManagedProcess> {
    const managed = await ManagedProcess.start(spec);
    this.#processes.set(spec.name, managed);
    void managed.exited.then((exit) => {
      if (exit.expected || this.#stopping) return;
      this.#record('exit', managed, describeExit(exit));
    });
    return managed;
  }

  #running(name: string): ManagedProcess {
    const managed = this.get(name);
    if (!managed.running) throw new Error(`${name} is not running`);
    return managed;
  }

  #record(
    kind: 'sigkill' | 'sigstop' | 'sigcont' | 'restart' | 'exit',
    managed: ManagedProcess,
    detail: string,
  ): void {
    const step = this.#step;
    this.#log(
      `fault driver seed ${this.seed}${step === undefined ? '' : ` step ${step}`}: ${kind} ${managed.name} (${detail})`,
    );
    this.#ledger?.fault(kind, managed.name, {
      targetPid: managed.pid,
      seed: this.seed,
      ...(step === undefined ? {} : { step }),
      detail,
    });
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const pending = {
        timer: setTimeout(() => {
          this.#timers.delete(pending);
          resolve();
        }, ms),
        wake: resolve,
      };
      this.#timers.add(pending);
    });
  }
}
