/**
 * The concrete error classes. Each names the problem in its message and keeps the
 * facts (field, limit, package) in `details` so a CLI or dashboard can show them.
 */
import { StemError } from './stem-error';

/** A message failed validation: `field` is a dotted path to the offending value. */
export class EnvelopeInvalidError extends StemError {
  readonly field: string;
  constructor(field: string, problem: string) {
    super('ENVELOPE_INVALID', `invalid envelope: ${field} ${problem}`, { details: { field } });
    this.field = field;
  }
}

/** An envelope or payload larger than the configured or adapter limit. */
export class PayloadTooLargeError extends StemError {
  constructor(actualBytes: number, maxBytes: number, what = 'envelope') {
    super('PAYLOAD_TOO_LARGE', `${what} is ${actualBytes} bytes, over the limit of ${maxBytes}`, {
      details: { actualBytes, maxBytes },
    });
  }
}

export class UnknownTaskError extends StemError {
  readonly taskName: string;
  constructor(taskName: string, suggestion?: string) {
    const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
    super('UNKNOWN_TASK', `unknown task "${taskName}"${hint}`, {
      details: { taskName, ...(suggestion === undefined ? {} : { suggestion }) },
    });
    this.taskName = taskName;
  }
}

/** Task arguments rejected by the task's schema. */
export class ArgumentsInvalidError extends StemError {
  constructor(taskName: string, issues: readonly string[]) {
    super('ARGUMENTS_INVALID', `invalid arguments for task "${taskName}": ${issues.join('; ')}`, {
      details: { taskName, issues: [...issues] },
    });
  }
}

/**
 * The caller no longer holds the lease on a message: it expired and the message was
 * (or may be) handed to another consumer. The operation was refused, not applied.
 */
export class LeaseLostError extends StemError {
  constructor(messageId: string, operation: string) {
    super('LEASE_LOST', `${operation} refused for message ${messageId}: the lease was lost`, {
      details: { messageId, operation },
    });
  }
}

export class CapabilityNotSupportedError extends StemError {
  constructor(adapter: string, capability: string, explanation: string) {
    super('CAPABILITY_NOT_SUPPORTED', `${adapter} does not support ${capability}: ${explanation}`, {
      details: { adapter, capability },
    });
  }
}

/** An optimistic-locking check failed: the record changed underneath the caller. */
export class VersionConflictError extends StemError {
  constructor(what: string, expectedVersion: number, actualVersion: number | undefined) {
    const actual =
      actualVersion === undefined ? 'it no longer exists' : `it is at ${actualVersion}`;
    super('VERSION_CONFLICT', `${what} changed: expected version ${expectedVersion}, ${actual}`, {
      details: { what, expectedVersion, actualVersion },
    });
  }
}

export class NotFoundError extends StemError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} was not found`, { details: { what } });
  }
}

export class AlreadyExistsError extends StemError {
  constructor(what: string) {
    super('ALREADY_EXISTS', `${what} already exists`, { details: { what } });
  }
}

export class UrlInvalidError extends StemError {
  constructor(url: string, problem: string) {
    super('URL_INVALID', `invalid connection URL "${redactUrl(url)}": ${problem}`, {
      details: { url: redactUrl(url) },
    });
  }
}

/** A URL scheme whose adapter package is not installed. */
export class AdapterNotInstalledError extends StemError {
  constructor(scheme: string, packageName: string) {
    super(
      'ADAPTER_NOT_INSTALLED',
      `the ${scheme}:// adapter needs the package ${packageName}: install it with "pnpm add ${packageName}" (or npm install ${packageName})`,
      { details: { scheme, packageName } },
    );
  }
}

export class ResultTimeoutError extends StemError {
  constructor(taskId: string, timeoutMs: number) {
    super('RESULT_TIMEOUT', `no result for task ${taskId} within ${timeoutMs} ms`, {
      retryable: true,
      details: { taskId, timeoutMs },
    });
  }
}

/** Thrown by `TaskResult.get()` when the task ended in FAILURE; `cause` is its ErrorRecord. */
export class TaskFailedError extends StemError {
  constructor(taskId: string, taskName: string, cause: { type: string; message: string }) {
    super('TASK_FAILED', `task ${taskName} (${taskId}) failed: ${cause.type}: ${cause.message}`, {
      details: { taskId, taskName },
      cause,
    });
  }
}

export class TaskRevokedError extends StemError {
  constructor(taskId: string, reason: string) {
    super('TASK_REVOKED', `task ${taskId} was revoked: ${reason}`, { details: { taskId, reason } });
  }
}

export class ClosedError extends StemError {
  constructor(what: string) {
    super('CLOSED', `${what} is closed`);
  }
}

/**
 * The soft time limit passed: the task's AbortSignal carries this reason and a task may
 * throw it (after cleaning up). Retried by the task's policy like any failure.
 */
export class SoftTimeLimitExceededError extends StemError {
  constructor(taskId: string, limitMs: number) {
    super(
      'SOFT_TIME_LIMIT_EXCEEDED',
      `task ${taskId} passed its soft time limit of ${limitMs} ms`,
      {
        retryable: true,
        details: { taskId, limitMs },
      },
    );
  }
}

/** The hard time limit passed and the task was terminated. */
export class TimeLimitExceededError extends StemError {
  constructor(taskId: string, limitMs: number) {
    super(
      'TIME_LIMIT_EXCEEDED',
      `task ${taskId} was terminated after its hard time limit of ${limitMs} ms`,
      {
        retryable: true,
        details: { taskId, limitMs },
      },
    );
  }
}

/** The thread (or process) running the task died: process.exit, a crash, heap exhaustion. */
export class WorkerLostError extends StemError {
  constructor(taskId: string, how: string) {
    super('WORKER_LOST', `the thread running task ${taskId} died: ${how}`, {
      retryable: true,
      details: { taskId, how },
    });
  }
}

/**
 * Hides the password of a connection URL so it never reaches a log or an error. The
 * scheme and slashes are optional: a malformed URL (`redis:/u:p@h`, `u:p@h`) is exactly
 * the kind that ends up in an error message.
 */
export function redactUrl(url: string): string {
  return url.replace(/^((?:[a-z][a-z0-9+.-]*:)?\/*[^:/@]*:)([^@/]*)@/i, '$1***@');
}
