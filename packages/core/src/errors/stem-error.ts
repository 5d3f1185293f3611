/**
 * Errors that cross threads and the wire. Every Stem error carries a stable
 * SCREAMING_SNAKE `code` and a `retryable` flag; callers match on `code`, never on
 * `instanceof`, because an error raised in a worker thread or another process
 * arrives here as plain data.
 */

/** Every error code Stem itself raises. Adapters translate driver errors into these. */
export type StemErrorCode =
  | 'ENVELOPE_INVALID'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNKNOWN_TASK'
  | 'ARGUMENTS_INVALID'
  | 'LEASE_LOST'
  | 'CAPABILITY_NOT_SUPPORTED'
  | 'VERSION_CONFLICT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'URL_INVALID'
  | 'ADAPTER_NOT_INSTALLED'
  | 'RESULT_TIMEOUT'
  | 'TASK_FAILED'
  | 'TASK_REVOKED'
  | 'CLOSED'
  | 'SOFT_TIME_LIMIT_EXCEEDED'
  | 'TIME_LIMIT_EXCEEDED'
  | 'WORKER_LOST'
  | 'RATE_LIMITED'
  | 'SCHEDULE_INVALID'
  | 'CONNECTION_FAILED';

/** The plain-data form of any error: what result records and events carry. */
export interface ErrorRecord {
  /** The error's class name (`TypeError`, `LeaseLostError`, a user's own class name). */
  type: string;
  message: string;
  /** A stable code where the error has one (Stem errors always do). */
  code?: string;
  /** Whether trying again may succeed. */
  retryable: boolean;
  stack?: string;
  /** Extra plain-data details (the field that failed validation, the limit that was hit…). */
  details?: Record<string, unknown>;
}

export interface StemErrorOptions {
  retryable?: boolean;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** Base class of all errors Stem raises. */
export class StemError extends Error {
  readonly code: StemErrorCode;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: StemErrorCode, message: string, options: StemErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
  }

  toRecord(): ErrorRecord {
    return {
      type: this.name,
      message: this.message,
      code: this.code,
      retryable: this.retryable,
      ...(this.stack === undefined ? {} : { stack: this.stack }),
      ...(Object.keys(this.details).length === 0 ? {} : { details: { ...this.details } }),
    };
  }
}

/** True when `error` (an Error, a StemError or an ErrorRecord) carries `code`. */
export function hasErrorCode(error: unknown, code: StemErrorCode): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/**
 * Turns anything thrown into an ErrorRecord. Errors without a `retryable` flag are
 * treated as retryable: the task's retry policy, not the error, decides by default.
 */
export function toErrorRecord(error: unknown): ErrorRecord {
  if (error instanceof StemError) return error.toRecord();
  if (error instanceof Error) {
    const flagged = (error as { retryable?: unknown }).retryable;
    const code = (error as { code?: unknown }).code;
    return {
      // A subclass that sets no `name` inherits "Error"; its class name is the useful type.
      type: errorType(error),
      message: error.message,
      retryable: typeof flagged === 'boolean' ? flagged : true,
      ...(typeof code === 'string' ? { code } : {}),
      ...(error.stack === undefined ? {} : { stack: error.stack }),
    };
  }
  if (isErrorRecord(error)) return error;
  return { type: 'NonError', message: safeString(error), retryable: true };
}

function errorType(error: Error): string {
  const className = (error.constructor as { name?: unknown } | undefined)?.name;
  if (error.name === 'Error' && typeof className === 'string' && className !== '') return className;
  return error.name || 'Error';
}

/**
 * Rebuilds a throwable from an ErrorRecord that crossed a thread or the wire: an Error
 * with the original class name, message, code, retryable flag and stack. It is not an
 * instance of the original class (that class may not exist here); match on `code`.
 */
export function errorFromRecord(
  record: ErrorRecord,
): Error & { code?: string; retryable: boolean } {
  const error = new Error(record.message) as Error & { code?: string; retryable: boolean };
  error.name = record.type;
  error.retryable = record.retryable;
  if (record.code !== undefined) error.code = record.code;
  if (record.stack !== undefined) error.stack = record.stack;
  return error;
}

export function isErrorRecord(value: unknown): value is ErrorRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.type === 'string' &&
    typeof record.message === 'string' &&
    typeof record.retryable === 'boolean'
  );
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}
