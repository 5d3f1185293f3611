/**
 * Tasks the canvas tests compose, and a `calls` log shared with them (inline pool: the
 * handlers run in the test's process). `fails` fails for good; `flaky` fails its first
 * two attempts; `slow` waits on its signal so fail-fast can abort it.
 */
import { defineTask } from '@stem/core';

export interface CallLog {
  /** Task name → args of every run, in order. */
  runs: Map<string, unknown[]>;
}

export function createCanvasTasks(log: CallLog = { runs: new Map() }) {
  const record = (name: string, args: unknown) => {
    const seen = log.runs.get(name) ?? [];
    seen.push(args);
    log.runs.set(name, seen);
  };
  const noRetry = { maxRetries: 0 };
  const add = defineTask({
    name: 'canvas.add',
    retry: noRetry,
    run: (args: { a: number; b: number }) => {
      record('canvas.add', args);
      return args.a + args.b;
    },
  });
  const double = defineTask({
    name: 'canvas.double',
    retry: noRetry,
    run: async (n: number) => {
      record('canvas.double', n);
      return n * 2;
    },
  });
  const format = defineTask({
    name: 'canvas.format',
    retry: noRetry,
    run: (n: number) => {
      record('canvas.format', n);
      return `n=${n}`;
    },
  });
  const sum = defineTask({
    name: 'canvas.sum',
    retry: noRetry,
    run: (values: number[]) => {
      record('canvas.sum', values);
      return values.reduce((total, value) => total + value, 0);
    },
  });
  const collect = defineTask({
    name: 'canvas.collect',
    retry: noRetry,
    run: (values: unknown) => {
      record('canvas.collect', values);
      return values;
    },
  });
  const fails = defineTask({
    name: 'canvas.fails',
    retry: noRetry,
    run: (reason: string | number): number => {
      record('canvas.fails', reason);
      throw new Error(`boom: ${reason}`);
    },
  });
  const flaky = defineTask({
    name: 'canvas.flaky',
    retry: { maxRetries: 3, initialDelayMs: 10, jitter: 'none' },
    run: (n: number, context) => {
      record('canvas.flaky', n);
      if (context.attempt < 3) throw new Error(`flaky attempt ${context.attempt}`);
      return n;
    },
  });
  const slow = defineTask({
    name: 'canvas.slow',
    retry: noRetry,
    run: async (ms: number, context) => {
      record('canvas.slow', ms);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        context.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(context.signal.reason);
        });
      });
      return ms;
    },
  });
  return { log, add, double, format, sum, collect, fails, flaky, slow };
}

export type CanvasTasks = ReturnType<typeof createCanvasTasks>;

export function allTasks(tasks: CanvasTasks) {
  const { log: _log, ...definitions } = tasks;
  return Object.values(definitions);
}
