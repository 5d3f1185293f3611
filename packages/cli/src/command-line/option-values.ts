/**
 * Turns flag text into values, strictly: whole ASCII numbers within a range, durations
 * with a unit, real calendar instants (no February 30), strict JSON. Each refusal is a
 * one-line error naming the flag and what was wrong with it.
 */
import { createEnvelope, type JsonValue } from '@stem/core';
import { CliError, usageError } from '../cli-error';

/** Shown for refused values; long or odd input is cut and escaped. */
export function quote(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return JSON.stringify(shown);
}

export interface IntegerRange {
  min?: number;
  max?: number;
}

/** A whole number written in ASCII digits, within `range`. */
export function parseInteger(flag: string, text: string, range: IntegerRange = {}): number {
  const min = range.min ?? Number.MIN_SAFE_INTEGER;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (!/^-?[0-9]+$/.test(text)) {
    throw usageError(`${flag} must be a whole number from ${min} to ${max}, not ${quote(text)}`);
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw usageError(`${flag} must be a whole number from ${min} to ${max}, not ${quote(text)}`);
  }
  return value;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Longest duration any flag takes: 10 years. */
export const MAX_DURATION_MS = 10 * 365 * 86_400_000;

/** `1500ms`, `30s`, `5m`, `2h`, `1d`: a whole amount with a unit, up to 10 years. */
export function parseDuration(flag: string, text: string, minMs = 0): number {
  const match = /^([0-9]+)(ms|s|m|h|d)$/.exec(text);
  if (match === null) {
    throw usageError(
      `${flag} must be a duration with a unit (ms, s, m, h, d), e.g. 30s or 1500ms, not ${quote(text)}`,
    );
  }
  const ms = Number(match[1]) * UNIT_MS[match[2]!]!;
  if (!Number.isSafeInteger(ms) || ms > MAX_DURATION_MS || ms < minMs) {
    throw usageError(
      `${flag} must be from ${minMs} ms to 10 years (${MAX_DURATION_MS} ms), not ${quote(text)}`,
    );
  }
  return ms;
}

const ISO_INSTANT =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,3}))?)?(Z|[+-][0-9]{2}:[0-9]{2})$/;

/**
 * An instant: ISO 8601 with a zone (`2030-01-31T09:00:00Z`, `…+02:00`) or epoch ms.
 * Dates that do not exist (February 30, hour 24) are refused, not rolled over.
 */
export function parseInstant(flag: string, text: string): number {
  if (/^[0-9]+$/.test(text)) {
    const value = Number(text);
    if (Number.isSafeInteger(value) && value <= 8.64e15) return value;
    throw usageError(`${flag} must be an epoch-ms time up to 8640000000000000, not ${quote(text)}`);
  }
  const match = ISO_INSTANT.exec(text);
  if (match === null) {
    throw usageError(
      `${flag} must be an ISO 8601 time with a zone (e.g. 2030-01-31T09:00:00Z) or epoch ms, not ${quote(text)}`,
    );
  }
  const [, year, month, day, hour, minute, second = '0'] = match.map((part) => part ?? '');
  const fields = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const probe = new Date(
    Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5]),
  );
  const exists =
    probe.getUTCFullYear() === fields[0] &&
    probe.getUTCMonth() === fields[1] - 1 &&
    probe.getUTCDate() === fields[2] &&
    probe.getUTCHours() === fields[3] &&
    probe.getUTCMinutes() === fields[4] &&
    probe.getUTCSeconds() === fields[5];
  const value = Date.parse(text.replace(' ', 'T'));
  if (!exists || Number.isNaN(value)) {
    throw usageError(`${flag} names a date or time that does not exist: ${quote(text)}`);
  }
  return value;
}

/** Strict JSON (what JSON.parse accepts), or JSON_INVALID naming the flag and the problem. */
export function parseJson(flag: string, text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    const problem = text.trim() === '' ? 'it is empty' : (error as Error).message;
    throw new CliError('JSON_INVALID', `${flag} is not valid JSON: ${problem}`);
  }
}

/** `key=value` pairs (headers). */
export function parsePairs(flag: string, texts: readonly string[]): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const text of texts) {
    const at = text.indexOf('=');
    if (at <= 0) throw usageError(`${flag} must be key=value, not ${quote(text)}`);
    pairs[text.slice(0, at)] = text.slice(at + 1);
  }
  return pairs;
}

/**
 * A queue name as the envelope codec accepts it (checked by building a probe envelope,
 * so the rule lives in one place).
 */
export function parseQueueName(flag: string, text: string): string {
  try {
    createEnvelope({ task: 'stem.cli.probe', args: null, queue: text });
  } catch {
    throw usageError(
      `${flag} must be a queue name of 1-200 letters, digits, "_", ".", ":" or "-", not ${quote(text)}`,
    );
  }
  return text;
}

/** A task name as the envelope codec accepts it. */
export function parseTaskName(what: string, text: string): string {
  try {
    createEnvelope({ task: text, args: null });
  } catch {
    throw usageError(
      `${what} must be a task name of 1-200 letters, digits, "_", ".", ":" or "-", not ${quote(text)}`,
    );
  }
  return text;
}

/** One of a fixed set of words. */
export function parseChoice<T extends string>(
  flag: string,
  text: string,
  choices: readonly T[],
): T {
  if ((choices as readonly string[]).includes(text)) return text as T;
  throw usageError(`${flag} must be one of ${choices.join(', ')}, not ${quote(text)}`);
}
