/**
 * How a ResultRecord is laid out in its Redis hash: `status`, `record` (taskId, status,
 * payload and error as JSON), `updatedAt`, and one `meta:<name>` field per meta entry
 * (its value as JSON). Keeping meta entries apart lets `updateMeta` merge with HSET in
 * a script, without re-encoding user JSON in Lua (whose cjson rounds numbers to 14
 * digits and turns `[]` into `{}`).
 */
import type { ResultMeta, ResultRecord } from '@stem/core';

export const META_PREFIX = 'meta:';

/** The record as a flat [field, value, field, value …] list for HSET. */
export function recordToFields(record: ResultRecord): string[] {
  const core: Record<string, unknown> = { taskId: record.taskId, status: record.status };
  if (record.payload !== undefined) core.payload = record.payload;
  if (record.error !== undefined) core.error = record.error;
  const fields = [
    'status',
    record.status,
    'record',
    JSON.stringify(core),
    'updatedAt',
    String(record.updatedAt),
  ];
  for (const [name, value] of Object.entries(record.meta)) {
    if (value !== undefined) fields.push(`${META_PREFIX}${name}`, JSON.stringify(value));
  }
  return fields;
}

/**
 * Joins fields into one text (how set-results.lua receives a record and how a finished
 * record is published). JSON text never holds a raw NUL (JSON.stringify escapes it); a
 * field name holding one is refused before it gets here.
 */
export const FIELD_SEPARATOR = '\0';

export function joinFields(fields: readonly string[]): string {
  return fields.join(FIELD_SEPARATOR);
}

/** The inverse of `joinFields`. */
export function splitFields(text: string): string[] {
  return text.split(FIELD_SEPARATOR);
}

/** Rebuilds a record from its hash fields; undefined for a missing (empty) hash. */
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

/** A flat [field, value …] list (HGETALL's raw form, or a notification) as an object. */
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
