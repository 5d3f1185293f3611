/**
 * Copies a value that must be strict JSON into a fresh structure, checking it on the
 * way: null, booleans, finite numbers, well-formed strings, dense arrays and plain
 * objects only; no cycles; no prototype-polluting keys; nesting bounded. The walk keeps
 * its own stack, so no input, however deep, can overflow the call stack. Runs on
 * whichever thread encodes or decodes.
 */
import { EnvelopeInvalidError } from '../errors/errors';
import { describeValue } from './describe-value';
import type { JsonObject, JsonValue } from './envelope';
import { childPath, formatJsonPath, type JsonPath } from './json-path';

/**
 * Keys refused anywhere in an envelope. `JSON.parse` makes `__proto__` an own property;
 * a later spread or `Object.assign` would turn it into a prototype, so it never gets in.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

// With the `u` flag a surrogate pair is one code point, so this matches only lone halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

interface Frame {
  readonly source: object;
  readonly target: JsonValue[] | JsonObject;
  readonly path: JsonPath;
  readonly depth: number;
  readonly parent: Frame | undefined;
}

/**
 * A checked deep copy of `value`. Throws EnvelopeInvalidError naming the first bad
 * value found, e.g. `args.items[3].when`. `maxDepth` counts container levels: the value
 * itself, when an array or object, is level 1.
 */
export function copyJsonValue(value: unknown, path: JsonPath, maxDepth: number): JsonValue {
  const pending: Frame[] = [];
  const copy = enter(value, path, 1, undefined, pending, maxDepth);
  for (let frame = pending.pop(); frame !== undefined; frame = pending.pop()) {
    if (Array.isArray(frame.target)) copyArrayItems(frame, frame.target, pending, maxDepth);
    else copyObjectEntries(frame, frame.target, pending, maxDepth);
  }
  return copy;
}

/** True for objects JSON can carry as an object: prototype `Object.prototype` or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Throws unless `text` is well-formed Unicode (no lone surrogates, which UTF-8 cannot carry). */
export function checkWellFormed(text: string, path: JsonPath): void {
  if (LONE_SURROGATE.test(text)) {
    throw new EnvelopeInvalidError(
      formatJsonPath(path),
      'contains an unpaired UTF-16 surrogate, which UTF-8 cannot carry',
    );
  }
}

/** Throws unless `key` may appear in an envelope. */
export function checkKey(key: string, path: JsonPath): void {
  if (FORBIDDEN_KEYS.has(key)) {
    throw new EnvelopeInvalidError(
      formatJsonPath(path),
      'is a forbidden key (__proto__, constructor and prototype could pollute prototypes)',
    );
  }
  checkWellFormed(key, path);
}

/** A checked scalar, or an empty container queued on `pending` to be filled later. */
function enter(
  value: unknown,
  path: JsonPath,
  depth: number,
  parent: Frame | undefined,
  pending: Frame[],
  maxDepth: number,
): JsonValue {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new EnvelopeInvalidError(formatJsonPath(path), `must be a finite number, got ${value}`);
    }
    // JSON has no negative zero; reading it as 0 keeps decode → encode → decode stable.
    return value === 0 ? 0 : value;
  }
  if (typeof value === 'string') {
    checkWellFormed(value, path);
    return value;
  }
  if (typeof value !== 'object') {
    throw new EnvelopeInvalidError(
      formatJsonPath(path),
      `is ${describeValue(value)}, which JSON cannot carry`,
    );
  }
  const isArray = Array.isArray(value);
  if (!isArray && !isPlainObject(value)) {
    throw new EnvelopeInvalidError(
      formatJsonPath(path),
      `is ${describeValue(value)}; only plain objects and arrays are allowed`,
    );
  }
  if (depth > maxDepth) {
    throw new EnvelopeInvalidError(
      formatJsonPath(path),
      `nests deeper than the limit of ${maxDepth} levels`,
    );
  }
  for (let ancestor = parent; ancestor !== undefined; ancestor = ancestor.parent) {
    if (ancestor.source === value) {
      throw new EnvelopeInvalidError(formatJsonPath(path), 'refers back to itself (a cycle)');
    }
  }
  const target: JsonValue[] | JsonObject = isArray ? [] : {};
  pending.push({ source: value, target, path, depth, parent });
  return target;
}

function copyArrayItems(frame: Frame, target: JsonValue[], pending: Frame[], maxDepth: number) {
  const source = frame.source as unknown[];
  for (let index = 0; index < source.length; index += 1) {
    const path = childPath(frame.path, index);
    const item = readOwnData(source, String(index), path, 'is a hole in a sparse array');
    target.push(enter(item, path, frame.depth + 1, frame, pending, maxDepth));
  }
  if (Object.keys(source).length !== source.length) {
    throw new EnvelopeInvalidError(formatJsonPath(frame.path), 'has properties besides its items');
  }
}

function copyObjectEntries(frame: Frame, target: JsonObject, pending: Frame[], maxDepth: number) {
  const source = frame.source;
  for (const key of Object.keys(source)) {
    const path = childPath(frame.path, key);
    checkKey(key, path);
    const item = readOwnData(source, key, path, 'is missing');
    target[key] = enter(item, path, frame.depth + 1, frame, pending, maxDepth);
  }
  if (Object.getOwnPropertySymbols(source).length > 0) {
    throw new EnvelopeInvalidError(formatJsonPath(frame.path), 'has symbol keys');
  }
}

// Reads through the descriptor so a getter (possible in objects handed to encode) is
// refused rather than run: its result could differ on every read.
function readOwnData(source: object, key: string, path: JsonPath, missing: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(source, key);
  if (descriptor === undefined) throw new EnvelopeInvalidError(formatJsonPath(path), missing);
  if (!('value' in descriptor)) {
    throw new EnvelopeInvalidError(formatJsonPath(path), 'is an accessor, not a data property');
  }
  return descriptor.value;
}
