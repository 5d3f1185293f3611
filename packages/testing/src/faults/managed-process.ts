/**
 * One child process started by the fault driver: its spec (so it can be started again
 * the same way), its live handle, how it ended, and the tail of its output for
 * diagnostics. Spawn the real program (node, redis-server), not a shell wrapper, so a
 * signal sent to this pid reaches the process that matters.
 */
import { type ChildProcess, spawn } from 'node:child_process';

/** How to start a managed process; kept so `restart` starts it the same way. */
export interface ManagedProcessSpec {
  name: string;
  command: string;
  args: readonly string[];
  /** Added to the parent's environment. */
  env: Readonly<Record<string, string>>;
  /** @default the parent's working directory */
  cwd?: string;
}

/** How a managed process ended. */
export interface ManagedExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Epoch ms when the parent saw the exit. */
  at: number;
  /** True when the driver itself killed it (sigkill, restart, stopAll). */
  expected: boolean;
}

/** How much combined stdout/stderr each process keeps, in characters. */
const OUTPUT_TAIL_CHARS = 64 * 1024;

/** A running (or ended) child started from a `ManagedProcessSpec`. */
export class ManagedProcess {
  readonly spec: ManagedProcessSpec;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves once the process has ended, however it ended. */
  readonly exited: Promise<ManagedExit>;
  #exit: ManagedExit | undefined;
  #expectingExit = false;
  #paused = false;
  #output = '';

  private constructor(spec: ManagedProcessSpec, child: ChildProcess, pid: number) {
    this.spec = spec;
    this.child = child;
    this.pid = pid;
    const keep = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal, at: Date.now(), expected: this.#expectingExit };
        resolve(this.#exit);
      });
    });
  }

  /** Starts `spec` and resolves once the OS has created the process. */
  static start(spec: ManagedProcessSpec): Promise<ManagedProcess> {
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Promise((resolve, reject) => {
      child.once('error', (error) =>
        reject(new Error(`cannot start ${spec.name}: ${error.message}`)),
      );
      child.once('spawn', () => {
        if (child.pid === undefined) reject(new Error(`${spec.name} started without a pid`));
        else resolve(new ManagedProcess(spec, child, child.pid));
      });
    });
  }

  get name(): string {
    return this.spec.name;
  }

  /** True until the process has ended (a paused process is still running). */
  get running(): boolean {
    return this.#exit === undefined;
  }

  /** True while the driver holds it stopped with SIGSTOP. */
  get paused(): boolean {
    return this.#paused;
  }

  /** How it ended, once it has. */
  get exit(): ManagedExit | undefined {
    return this.#exit;
  }

  /** The last 64 KiB of its combined stdout and stderr. */
  output(): string {
    return this.#output;
  }

  /** Sends `signal` if the process is still running; returns whether it was sent. */
  signal(signal: NodeJS.Signals, options: { expectExit?: boolean } = {}): boolean {
    if (!this.running) return false;
    if (options.expectExit === true) this.#expectingExit = true;
    if (signal === 'SIGSTOP') this.#paused = true;
    if (signal === 'SIGCONT' || signal === 'SIGKILL') this.#paused = false;
    return this.child.kill(signal);
  }

  /**
   * Resolves when its output (so far or later) matches `pattern`, e.g. a server's
   * "Ready to accept connections".
   *
   * @param timeoutMs how long to wait, in ms. @default 10_000
   */
  waitForOutput(pattern: RegExp | string, timeoutMs = 10_000): Promise<void> {
    const matches = () =>
      typeof pattern === 'string' ? this.#output.includes(pattern) : pattern.test(this.#output);
    if (matches()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      let settled = false;
      const check = () => {
        if (!matches()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.name} printed no ${String(pattern)} within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        settled = true;
        clearTimeout(timer);
        this.child.stdout?.off('data', check);
        this.child.stderr?.off('data', check);
      };
      this.child.stdout?.on('data', check);
      this.child.stderr?.on('data', check);
      void this.exited.then((exit) => {
        if (settled) return;
        cleanup();
        reject(
          new Error(
            `${this.name} ended (${describeExit(exit)}) before printing ${String(pattern)}`,
          ),
        );
      });
    });
  }
}

/** `signal SIGKILL` or `code 1`: how a process ended, for logs and fault lines. */
export function describeExit(exit: Pick<ManagedExit, 'code' | 'signal'>): string {
  return exit.signal === null ? `code ${exit.code}` : `signal ${exit.signal}`;
}
