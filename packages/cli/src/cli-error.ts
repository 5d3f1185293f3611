/**
 * Errors the CLI raises itself. Like Stem's errors they carry a stable `code`, which
 * picks the exit code (exit-codes.ts); the message is the one line the user sees.
 */

export type CliErrorCode =
  | 'USAGE'
  | 'JSON_INVALID'
  | 'CONFIG_INVALID'
  | 'APP_MODULE_INVALID'
  | 'CONNECTION_FAILED';

export class CliError extends Error {
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.code = code;
  }
}

/** A usage error: the command line itself is wrong. */
export function usageError(message: string): CliError {
  return new CliError('USAGE', message);
}
