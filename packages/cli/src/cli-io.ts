/**
 * Where a command reads its environment and writes its output. The binary passes the
 * real process; tests pass buffers, so the in-process `run()` and the spawned binary go
 * through exactly the same code.
 */

/** Something text can be written to (process.stdout, a test buffer). */
export interface TextSink {
  write(text: string): unknown;
}

export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  /** Environment variables (STEM_* settings). */
  env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths (config file, app module, import files) resolve against. */
  cwd: string;
  /** Whether stderr is a terminal: progress bars are drawn only then. @default false */
  stderrIsTty?: boolean;
  /**
   * Resolves when the user asks a long-running command (worker, beat) to stop, with the
   * signal's name; called again for every further signal. @default none (runs until killed)
   */
  onSignal?: (listener: (signal: string) => void) => () => void;
}

/** The real process as a CliIo. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    stderrIsTty: process.stderr.isTTY === true,
    onSignal: (listener) => {
      const handler = (signal: NodeJS.Signals) => listener(signal);
      process.on('SIGTERM', handler);
      process.on('SIGINT', handler);
      return () => {
        process.off('SIGTERM', handler);
        process.off('SIGINT', handler);
      };
    },
  };
}
