/**
 * Dead letters of one queue on Redis: the queue's `dead` stream, whose entry ids are the
 * dead-letter ids (so they sort oldest first and serve as page cursors that stay valid
 * while entries are replayed or purged). Runs on the caller's thread.
 */
import { randomUUID } from 'node:crypto';
import {
  type DeadLetter,
  type DeadLetterPage,
  type DeadLetterQuery,
  type DeadLetterReason,
  decodeEnvelope,
  type Envelope,
  encodeEnvelope,
  NotFoundError,
} from '@stem/core';
import type { RedisClient } from '../connection/redis-connection';
import { runBrokerScript } from './broker-scripts';
import { deadKey } from './redis-queue-keys';

/** Entries per page when a query sets no limit. */
const DEFAULT_PAGE_LIMIT = 100;
const STREAM_ID = /^(\d+)-(\d+)$/;

type StreamEntry = [id: string, fields: string[]];

/** The page `query` selects, oldest first (entries after `cursor`, within `ids`). */
export async function selectDeadLetters(
  client: RedisClient,
  keys: readonly string[],
  query: DeadLetterQuery,
  maxEnvelopeBytes: number,
): Promise<DeadLetterPage> {
  const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`dead-letter query limit must be a positive integer, got ${limit}`);
  }
  if (query.cursor !== undefined && !STREAM_ID.test(query.cursor)) {
    throw new NotFoundError(`dead-letter cursor "${query.cursor}"`);
  }
  const matching =
    query.ids === undefined
      ? await client.xrange(
          deadKey(keys),
          query.cursor === undefined ? '-' : `(${query.cursor}`,
          '+',
          'COUNT',
          limit + 1,
        )
      : await entriesById(client, deadKey(keys), query.ids, query.cursor);
  const page = (matching as StreamEntry[]).slice(0, limit);
  const entries = page.map((entry) => toDeadLetter(query.queue, entry, maxEnvelopeBytes));
  const last = page.at(-1);
  return {
    entries,
    ...(matching.length > limit && last !== undefined ? { nextCursor: last[0] } : {}),
  };
}

/**
 * Publishes the selected page again (new message ids, attempt 1, delivery count 0) and
 * removes it from the dead letters; concurrent replays publish each entry once.
 */
export async function replayDeadLetters(
  client: RedisClient,
  keys: readonly string[],
  query: DeadLetterQuery,
  maxEnvelopeBytes: number,
): Promise<number> {
  const { entries } = await selectDeadLetters(client, keys, query, maxEnvelopeBytes);
  if (entries.length === 0) return 0;
  const args: Array<string | number> = [];
  for (const entry of entries) {
    const envelope: Envelope = { ...entry.envelope, attempt: 1 };
    const text = encodeEnvelope(envelope, { maxBytes: maxEnvelopeBytes });
    args.push(entry.id, randomUUID(), envelope.priority, text, envelope.notBeforeAt ?? 0);
  }
  return Number(await runBrokerScript(client, 'stemBrokerReplay', keys, args));
}

/** Deletes the selected page; resolves to how many entries were removed. */
export async function purgeDeadLetters(
  client: RedisClient,
  keys: readonly string[],
  query: DeadLetterQuery,
  maxEnvelopeBytes: number,
): Promise<number> {
  const { entries } = await selectDeadLetters(client, keys, query, maxEnvelopeBytes);
  if (entries.length === 0) return 0;
  return client.xdel(deadKey(keys), ...entries.map((entry) => entry.id));
}

async function entriesById(
  client: RedisClient,
  key: string,
  ids: readonly string[],
  cursor: string | undefined,
): Promise<StreamEntry[]> {
  const wanted = [...new Set(ids)].filter(
    (id) => STREAM_ID.test(id) && (cursor === undefined || compareIds(id, cursor) > 0),
  );
  if (wanted.length === 0) return [];
  const pipeline = client.pipeline();
  for (const id of wanted) pipeline.xrange(key, id, id);
  const replies = (await pipeline.exec()) ?? [];
  const found: StreamEntry[] = [];
  for (const [error, reply] of replies) {
    if (error !== null) throw error;
    found.push(...(reply as StreamEntry[]));
  }
  return found.sort((a, b) => compareIds(a[0], b[0]));
}

function compareIds(a: string, b: string): number {
  const [, aMs = '0', aSeq = '0'] = STREAM_ID.exec(a) ?? [];
  const [, bMs = '0', bSeq = '0'] = STREAM_ID.exec(b) ?? [];
  const byMs = BigInt(aMs) - BigInt(bMs);
  if (byMs !== 0n) return byMs < 0n ? -1 : 1;
  const bySeq = BigInt(aSeq) - BigInt(bSeq);
  return bySeq === 0n ? 0 : bySeq < 0n ? -1 : 1;
}

function toDeadLetter(
  queue: string,
  [id, fields]: StreamEntry,
  maxEnvelopeBytes: number,
): DeadLetter {
  const value = (name: string) => {
    for (let index = 0; index < fields.length; index += 2) {
      if (fields[index] === name) return fields[index + 1] ?? '';
    }
    return '';
  };
  return {
    id,
    queue,
    envelope: readEnvelope(value('e'), maxEnvelopeBytes),
    reason: JSON.parse(value('r')) as DeadLetterReason,
    deadAt: Number(value('at')),
    deliveryCount: Number(value('c')),
  };
}

/**
 * The stored envelope; one that no longer decodes (dead-lettered as ENVELOPE_INVALID)
 * is shown as parsed, so the list can still be read and purged.
 */
function readEnvelope(text: string, maxEnvelopeBytes: number): Envelope {
  try {
    return decodeEnvelope(text, { maxBytes: maxEnvelopeBytes });
  } catch {
    try {
      return JSON.parse(text) as Envelope;
    } catch {
      return { raw: text } as unknown as Envelope;
    }
  }
}
