/**
 * Entry-level log lines (fired, skipped, missed, disabled, drift, error) go through an
 * injectable logger; the default drops info lines and prints warnings and errors.
 */

/** Structured fields of one log line: entry id, occurrence, counts. Plain data. */
export type BeatLogFields = Record<string, string | number | boolean | undefined>;

export interface BeatLogger {
  info(message: string, fields: BeatLogFields): void;
  warn(message: string, fields: BeatLogFields): void;
  error(message: string, fields: BeatLogFields): void;
}

/** Drops info; writes warnings and errors to stderr as one JSON line each. */
export const consoleBeatLogger: BeatLogger = {
  info() {},
  warn(message, fields) {
    console.warn(JSON.stringify({ level: 'warn', message, ...fields }));
  },
  error(message, fields) {
    console.error(JSON.stringify({ level: 'error', message, ...fields }));
  },
};
