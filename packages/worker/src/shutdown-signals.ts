/**
 * Graceful shutdown on SIGTERM / SIGINT for a worker process. The first signal stops
 * fetching and drains (see Worker.close); a second one exits at once, leaving the
 * messages still held to come back after their leases. The exit code says how it ended.
 */
import type { Worker } from './worker';

/** Exit codes of a worker process stopped by a signal. */
export const WORKER_EXIT_CODES = Object.freeze({
  /** Every running task finished within the grace period. */
  drained: 0,
  /** Shutdown itself failed (the broker was unreachable…). */
  failed: 1,
  /** The grace period ran out: unfinished tasks were aborted and their messages returned. */
  graceExpired: 3,
  /** A second signal arrived during the drain: exited without waiting. */
  forced: 4,
});

export interface ShutdownSignalOptions {
  /** @default ['SIGTERM', 'SIGINT'] */
  signals?: readonly NodeJS.Signals[];
  /** Called with the exit code instead of process.exit (tests, embedding). */
  exit?: (code: number) => void;
  /** Told when shutdown starts, with the signal's name. */
  onSignal?: (signal: NodeJS.Signals) => void;
}

/** Installs the handlers; returns a function that removes them. */
export function closeOnSignals(worker: Worker, options: ShutdownSignalOptions = {}): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let closing = false;
  const handler = (signal: NodeJS.Signals): void => {
    options.onSignal?.(signal);
    if (closing) {
      exit(WORKER_EXIT_CODES.forced);
      return;
    }
    closing = true;
    worker.close().then(
      (drained) => exit(drained ? WORKER_EXIT_CODES.drained : WORKER_EXIT_CODES.graceExpired),
      () => exit(WORKER_EXIT_CODES.failed),
    );
  };
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}
