/**
 * Keeps a long-running command (worker, beat) alive until a signal: the first one
 * runs `stop` and resolves with its exit code; a second one resolves at once with the
 * "forced" code. Signals arrive through CliIo, so tests can send them in-process.
 */
import { WORKER_EXIT_CODES } from '@stem/worker';
import type { CommandContext } from '../command-line/command-context';

export interface SignalHandling {
  /** Graceful stop; resolves to the exit code. */
  stop(): Promise<number>;
  /** The note printed when stopping starts. */
  onStopping(signal: string): string;
}

export function waitForSignals(context: CommandContext, handling: SignalHandling): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    const detach = context.io.onSignal?.((signal) => {
      if (stopping) {
        detach?.();
        resolve(WORKER_EXIT_CODES.forced);
        return;
      }
      stopping = true;
      context.note(handling.onStopping(signal));
      handling.stop().then(
        (code) => {
          detach?.();
          resolve(code);
        },
        (error: unknown) => {
          context.note(
            `stem: error: shutdown failed: ${(error as Error)?.message ?? String(error)}`,
          );
          detach?.();
          resolve(WORKER_EXIT_CODES.failed);
        },
      );
    });
  });
}
