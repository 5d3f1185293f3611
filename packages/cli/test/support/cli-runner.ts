/**
 * Two ways to run the CLI in tests. `runInProcess` calls `run(argv, io)`, the function
 * the binary calls, with buffers for stdout and stderr (fast: for thousands of cases).
 * `spawnCli` and `startCli` spawn the real binary from its sources:
 * `node --import tsx --import <lua loader> packages/cli/src/stem.ts …`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { run } from '@stem/cli';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const TEST_APP = fileURLToPath(new URL('../fixtures/cli-test-app.ts', import.meta.url));
const STEM_SOURCE = fileURLToPath(new URL('../../src/stem.ts', import.meta.url));
const LUA_LOADER = fileURLToPath(
  new URL('../../../adapters/redis/test/fixtures/lua-text-loader.mjs', import.meta.url),
);

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  env?: Record<string, string>;
  cwd?: string;
}

/** The environment without the developer's own STEM_* settings. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('STEM_')) env[key] = value;
  }
  return { ...env, ...extra };
}

export async function runInProcess(
  argv: readonly string[],
  options: CliRunOptions = {},
): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: {
      write: (text: string) => {
        stdout += text;
      },
    },
    stderr: {
      write: (text: string) => {
        stderr += text;
      },
    },
    env: cleanEnv(options.env),
    cwd: options.cwd ?? REPO_ROOT,
  });
  return { code, stdout, stderr };
}

/** A running `stem` process. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number>;

  constructor(argv: readonly string[], options: CliRunOptions = {}) {
    this.child = spawn(
      process.execPath,
      ['--import', 'tsx', '--import', LUA_LOADER, STEM_SOURCE, ...argv],
      {
        cwd: options.cwd ?? REPO_ROOT,
        env: cleanEnv({ TSX_TSCONFIG_PATH: `${REPO_ROOT}tsconfig.base.json`, ...options.env }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString();
    });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) =>
      this.child.once('close', (code, signal) => resolve(code ?? (signal === null ? -1 : 128))),
    );
  }

  /** Resolves once stdout or stderr contains `text`; rejects if the process exits first. */
  async waitFor(text: string | RegExp, timeoutMs = 15_000): Promise<void> {
    const started = Date.now();
    const seen = () =>
      typeof text === 'string'
        ? `${this.stdout}${this.stderr}`.includes(text)
        : text.test(`${this.stdout}${this.stderr}`);
    while (!seen()) {
      if (this.child.exitCode !== null)
        throw new Error(
          `stem exited (${this.child.exitCode}) before printing ${text}:\n${this.stdout}\n${this.stderr}`,
        );
      if (Date.now() - started > timeoutMs)
        throw new Error(
          `stem did not print ${text} within ${timeoutMs} ms:\n${this.stdout}\n${this.stderr}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }

  /** Kills the process if it still runs (test cleanup). */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

export async function spawnCli(
  argv: readonly string[],
  options: CliRunOptions = {},
): Promise<CliOutcome> {
  const process = new CliProcess(argv, options);
  const code = await process.exited;
  return { code, stdout: process.stdout, stderr: process.stderr };
}

/** Runs `work` over `items`, at most `limit` at a time. */
export async function inBatches<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}

/** A failed command's stderr: exactly one line, `stem: error: …`, and no stack frame. */
export function assertOneCleanErrorLine(outcome: CliOutcome): string | undefined {
  const lines = outcome.stderr.split('\n').filter((line) => line !== '');
  if (lines.length !== 1)
    return `expected one stderr line, got ${lines.length}: ${JSON.stringify(outcome.stderr)}`;
  if (!lines[0]!.startsWith('stem: error: '))
    return `stderr does not start with "stem: error: ": ${lines[0]}`;
  if (/\n\s+at |\bat .+:\d+:\d+\)/.test(outcome.stderr))
    return `stderr has a stack frame: ${outcome.stderr}`;
  return undefined;
}
