/**
 * How a ResultRecord is laid out in Redis: one string holding its fields joined by NUL
 * characters: `status` first, then `record` (taskId, status, payload and error as JSON),
 * `updatedAt`, and one `meta:<name>` field per meta entry (its value as JSON). One SET
 * writes a record whole, a script finds the status at the start of the text, and
 * `updateMeta` merges entries in a script without re-encoding user JSON in Lua (whose
 * cjson rounds numbers to 14 digits and turns `[]` into `{}`). Records written by
 * earlier versions are hashes of the same fields, still read as such.
 */
import type { ResultMeta, ResultRecord } from '@stem/core';

export const META_PREFIX = 'meta:';

/**
 * Joins fields into one text (how set-results.lua receives a record and how a finished
 * record is published). JSON text never holds a raw NUL (JSON.stringify escapes it); a
 * field name holding one is refused before it gets here.
 */
export const FIELD_SEPARATOR = '\0';

/**
 * The record's fields, joined by FIELD_SEPARATOR: `status`, `record`, `updatedAt`,
 * then `meta:<name>` per meta entry. Built as one string, without the intermediate
 * objects and arrays, because a busy worker writes two records per task.
 */
export function recordToJoinedFields(record: ResultRecord): string {
  // Same text as JSON.stringify({ taskId, status, payload?, error? }).
  let core = `{"taskId":${JSON.stringify(record.taskId)},"status":${JSON.stringify(record.status)}`;
  // (JSON.stringify gives undefined for what JSON cannot hold; the key is then left out.)
  const payload = record.payload === undefined ? undefined : JSON.stringify(record.payload);
  if (payload !== undefined) core += `,"payload":${payload}`;
  const error = record.error === undefined ? undefined : JSON.stringify(record.error);
  if (error !== undefined) core += `,"error":${error}`;
  let text = `status\0${record.status}\0record\0${core}}\0updatedAt\0${record.updatedAt}`;
  const { meta } = record;
  for (const name of Object.keys(meta)) {
    const value = meta[name as keyof ResultMeta];
    if (value !== undefined) text += `\0${META_PREFIX}${name}\0${JSON.stringify(value)}`;
  }
  return text;
}

/** The fields of a joined text (a notification, or the argument of set-results.lua). */
export function splitFields(text: string): string[] {
  return text.split(FIELD_SEPARATOR);
}

/** Rebuilds a record from its fields; undefined when they hold no record. */
export function recordFromFields(fields: Record<string, string>): ResultRecord | undefined {
  const coreText = fields.record;
  if (coreText === undefined) return undefined;
  const core = JSON.parse(coreText) as Pick<
    ResultRecord,
    'taskId' | 'status' | 'payload' | 'error'
  >;
  // fromEntries defines own properties, so a `__proto__` meta name cannot reach a prototype.
  const meta = Object.fromEntries(
    Object.entries(fields)
      .filter(([name]) => name.startsWith(META_PREFIX))
      .map(([name, value]) => [name.slice(META_PREFIX.length), JSON.parse(value)]),
  ) as ResultMeta;
  return { ...core, meta, updatedAt: Number(fields.updatedAt) };
}

/** A flat [field, value …] list (a stored or published record's fields) as an object. */
export function pairsToFields(pairs: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = Object.create(null);
  for (let at = 0; at + 1 < pairs.length; at += 2) fields[pairs[at]!] = pairs[at + 1]!;
  return fields;
}

/** `meta` split into HSET pairs and the names to HDEL (entries set to undefined). */
export function metaPatchToFields(meta: Partial<ResultMeta>): { set: string[]; remove: string[] } {
  const set: string[] = [];
  const remove: string[] = [];
  for (const [name, value] of Object.entries(meta)) {
    if (value === undefined) remove.push(`${META_PREFIX}${name}`);
    else set.push(`${META_PREFIX}${name}`, JSON.stringify(value));
  }
  return { set, remove };
}
