/**
 * The envelope validator: checks every field's type and range and returns a fresh
 * envelope built field by field, never the object it was given. Encode, decode and
 * createEnvelope all go through it, so there is exactly one definition of "valid".
 */
import { EnvelopeInvalidError } from '../errors/errors';
import { TASK_NAME_PATTERN } from '../task/define-task';
import { checkKey, checkWellFormed, copyJsonValue, isPlainObject } from './copy-json-value';
import { describeValue } from './describe-value';
import { ENVELOPE_VERSION, type Envelope, type JsonValue } from './envelope';
import { type EnvelopeLimits, resolveEnvelopeLimits } from './envelope-limits';
import { childPath, formatJsonPath, rootPath } from './json-path';

const QUEUE_PATTERN = /^[A-Za-z0-9_.:-]{1,200}$/;
/** Longest id (`id`, `parentId`, `rootId`, `groupId`), in Unicode code points. */
const MAX_ID_LENGTH = 200;
/** Longest idempotency key, in Unicode code points. */
const MAX_IDEMPOTENCY_KEY_LENGTH = 1000;
/** Largest epoch-ms timestamp a JavaScript Date can hold (year 275760). */
const MAX_TIMESTAMP = 8_640_000_000_000_000;
const MAX_INTEGER = Number.MAX_SAFE_INTEGER;

type FieldReader = (value: unknown, field: string, limits: EnvelopeLimits) => unknown;

const integer =
  (min: number, max: number): FieldReader =>
  (value, field) =>
    readInteger(value, field, min, max);

const identifier: FieldReader = (value, field) => readString(value, field, MAX_ID_LENGTH);

/** Every field of version 1 in wire order: name, required, reader. `v` is read first, apart. */
const FIELDS: ReadonlyArray<readonly [keyof Envelope, boolean, FieldReader]> = [
  ['id', true, identifier],
  ['task', true, (value, field) => readPattern(value, field, TASK_NAME_PATTERN, 'a task name')],
  ['args', true, (value, field, limits) => copyJsonValue(value, rootPath(field), limits.maxDepth)],
  ['queue', true, (value, field) => readPattern(value, field, QUEUE_PATTERN, 'a queue name')],
  ['priority', true, integer(0, 9)],
  ['attempt', true, integer(1, MAX_INTEGER)],
  ['maxRetries', true, integer(0, MAX_INTEGER)],
  ['notBeforeAt', false, integer(0, MAX_TIMESTAMP)],
  ['expiresAt', false, integer(0, MAX_TIMESTAMP)],
  ['softTimeLimitMs', false, integer(1, MAX_INTEGER)],
  ['hardTimeLimitMs', false, integer(1, MAX_INTEGER)],
  ['idempotencyKey', false, (value, field) => readString(value, field, MAX_IDEMPOTENCY_KEY_LENGTH)],
  ['parentId', false, identifier],
  ['rootId', false, identifier],
  ['groupId', false, identifier],
  ['groupIndex', false, integer(0, MAX_INTEGER)],
  ['trace', false, readStringMap],
  ['createdAt', true, integer(0, MAX_TIMESTAMP)],
  ['headers', true, readStringMap],
  ['meta', false, readMeta],
];

const KNOWN_FIELDS: ReadonlySet<string> = new Set(['v', ...FIELDS.map(([name]) => name)]);

/**
 * Checks that `value` is a valid envelope of a version this reader supports and returns
 * a fresh copy of it. A top-level property whose value is `undefined` counts as absent.
 * Throws EnvelopeInvalidError whose `field` names the offending value.
 * @param limits nesting limit for `args` and `meta`; @default DEFAULT_ENVELOPE_LIMITS
 */
export function validateEnvelope(value: unknown, limits?: Partial<EnvelopeLimits>): Envelope {
  const resolved = resolveEnvelopeLimits(limits);
  if (!isPlainObject(value)) {
    throw new EnvelopeInvalidError('$', `must be a JSON object, got ${describeValue(value)}`);
  }
  // The version is checked before anything else: a newer writer may add fields, and the
  // useful message then is "unsupported version", not "unknown field".
  const version = readOwn(value, 'v');
  if (version === undefined) throw new EnvelopeInvalidError('v', 'is required');
  const envelope: Partial<Record<keyof Envelope, unknown>> = { v: readVersion(version) };
  for (const key of Object.keys(value)) {
    const path = rootPath(key);
    checkKey(key, path);
    if (!KNOWN_FIELDS.has(key) && value[key] !== undefined) {
      throw new EnvelopeInvalidError(
        formatJsonPath(path),
        `is not a field of envelope version ${ENVELOPE_VERSION} (readers reject unknown fields)`,
      );
    }
  }
  for (const [name, required, read] of FIELDS) {
    const raw = readOwn(value, name);
    if (raw === undefined) {
      if (required) throw new EnvelopeInvalidError(name, 'is required');
      continue;
    }
    envelope[name] = read(raw, name, resolved);
  }
  return envelope as Envelope;
}

function readOwn(source: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(source, key) ? source[key] : undefined;
}

function readVersion(value: unknown): number {
  const version = readInteger(value, 'v', 1, MAX_INTEGER);
  if (version > ENVELOPE_VERSION) {
    throw new EnvelopeInvalidError(
      'v',
      `unsupported version ${version}, this reader supports up to ${ENVELOPE_VERSION}`,
    );
  }
  return version;
}

function readInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === MAX_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new EnvelopeInvalidError(
      field,
      `must be an integer ${range}, got ${describeValue(value)}`,
    );
  }
  // Negative zero passes the range check for min 0; JSON cannot tell it from 0.
  return value === 0 ? 0 : value;
}

function readString(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string' || value === '' || !fitsCodePoints(value, maxLength)) {
    throw new EnvelopeInvalidError(
      field,
      `must be a string of 1 to ${maxLength} characters, got ${describeValue(value)}`,
    );
  }
  checkWellFormed(value, rootPath(field));
  return value;
}

function readPattern(value: unknown, field: string, pattern: RegExp, what: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new EnvelopeInvalidError(
      field,
      `must be ${what} (1-200 of A-Z a-z 0-9 _ . : -), got ${describeValue(value)}`,
    );
  }
  return value;
}

function readStringMap(value: unknown, field: string): Record<string, string> {
  if (!isPlainObject(value)) {
    throw new EnvelopeInvalidError(
      field,
      `must be an object of strings, got ${describeValue(value)}`,
    );
  }
  const copy: Record<string, string> = {};
  for (const key of Object.keys(value)) {
    const path = childPath(rootPath(field), key);
    checkKey(key, path);
    const item = value[key];
    if (typeof item !== 'string') {
      throw new EnvelopeInvalidError(
        formatJsonPath(path),
        `must be a string, got ${describeValue(item)}`,
      );
    }
    checkWellFormed(item, path);
    copy[key] = item;
  }
  return copy;
}

function readMeta(value: unknown, field: string, limits: EnvelopeLimits): JsonValue {
  if (!isPlainObject(value)) {
    throw new EnvelopeInvalidError(field, `must be a JSON object, got ${describeValue(value)}`);
  }
  return copyJsonValue(value, rootPath(field), limits.maxDepth);
}

// Counts code points, not UTF-16 units, so the limit means the same in every language;
// stops early because the string may be a megabyte long.
function fitsCodePoints(text: string, maxLength: number): boolean {
  if (text.length <= maxLength) return true;
  if (text.length > maxLength * 2) return false;
  let count = 0;
  for (const _ of text) {
    count += 1;
    if (count > maxLength) return false;
  }
  return true;
}
