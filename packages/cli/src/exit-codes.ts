/**
 * The exit codes of the `stem` binary: one per kind of problem, so scripts can tell a
 * typo from an outage. docs/guides/cli.md shows the same table. 3 and 4 are the
 * worker's own codes for a signal-driven shutdown (WORKER_EXIT_CODES).
 */
import { WORKER_EXIT_CODES } from '@stem/worker';

export const EXIT_CODES = Object.freeze({
  /** Success. */
  ok: 0,
  /** An unexpected internal error (a bug: rerun with --verbose and report it). */
  internal: 1,
  /** Unknown command or flag, a missing or surplus argument, a malformed flag value. */
  usage: 2,
  /** `stem worker`: the shutdown grace period ran out and unfinished tasks were handed back. */
  graceExpired: WORKER_EXIT_CODES.graceExpired,
  /** `stem worker` / `stem beat`: a second signal forced an exit without draining. */
  forced: WORKER_EXIT_CODES.forced,
  /** A connection URL that cannot be used (syntax, unknown scheme). */
  urlInvalid: 10,
  /** The server did not answer within --connect-timeout-ms. */
  connectionFailed: 11,
  /** The URL's adapter package is not installed. */
  adapterNotInstalled: 12,
  /** The config file is unreadable, not JSON, or has unknown or ill-typed keys. */
  configInvalid: 13,
  /** The app module could not be loaded or defines no task. */
  appModuleInvalid: 14,
  /** --args, --spec or an import file is not valid JSON. */
  jsonInvalid: 20,
  /** The task's schema refused the arguments (with --app). */
  argumentsInvalid: 21,
  /** The app module defines no task of that name (with --app). */
  unknownTask: 22,
  /** A cron expression, schedule spec or time zone that can never be evaluated. */
  scheduleInvalid: 23,
  /** The record changed since --expected-version: re-read it and try again. */
  versionConflict: 24,
  /** No schedule, dead letter or result with that id. */
  notFound: 25,
  /** A schedule with that id already exists. */
  alreadyExists: 26,
  /** The message would be invalid or too large (bad task or queue name, payload size). */
  envelopeInvalid: 27,
  /** The adapter cannot do what was asked (no revocation store, no results…). */
  capabilityNotSupported: 28,
  /** `stem result --wait`: the task failed. */
  taskFailed: 30,
  /** `stem result --wait`: the task was revoked. */
  taskRevoked: 31,
  /** `stem result --wait --timeout-ms`: no result in time. */
  resultTimeout: 32,
});

export type ExitCodeName = keyof typeof EXIT_CODES;

/** Error codes (Stem's and the CLI's own) → exit code name. */
const BY_ERROR_CODE: Readonly<Record<string, ExitCodeName>> = {
  USAGE: 'usage',
  URL_INVALID: 'urlInvalid',
  CONNECTION_FAILED: 'connectionFailed',
  ADAPTER_NOT_INSTALLED: 'adapterNotInstalled',
  CONFIG_INVALID: 'configInvalid',
  APP_MODULE_INVALID: 'appModuleInvalid',
  JSON_INVALID: 'jsonInvalid',
  ARGUMENTS_INVALID: 'argumentsInvalid',
  UNKNOWN_TASK: 'unknownTask',
  SCHEDULE_INVALID: 'scheduleInvalid',
  VERSION_CONFLICT: 'versionConflict',
  NOT_FOUND: 'notFound',
  ALREADY_EXISTS: 'alreadyExists',
  ENVELOPE_INVALID: 'envelopeInvalid',
  PAYLOAD_TOO_LARGE: 'envelopeInvalid',
  CAPABILITY_NOT_SUPPORTED: 'capabilityNotSupported',
  TASK_FAILED: 'taskFailed',
  TASK_REVOKED: 'taskRevoked',
  RESULT_TIMEOUT: 'resultTimeout',
};

/** The exit code for an error, by its `code`; anything unrecognised is internal. */
export function exitCodeFor(error: unknown): number {
  const code =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const name = typeof code === 'string' ? BY_ERROR_CODE[code] : undefined;
  return EXIT_CODES[name ?? 'internal'];
}
