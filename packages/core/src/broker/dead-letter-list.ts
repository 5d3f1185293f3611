/**
 * One queue's dead letters for the in-memory broker, oldest first. Entries carry a
 * sequence number so a page cursor stays valid while entries before or after it are
 * replayed or purged. Runs on the caller's thread; all operations are synchronous.
 */
import { randomUUID } from 'node:crypto';
import type { Envelope } from '../envelope/envelope';
import { NotFoundError } from '../errors/errors';
import type { DeadLetter, DeadLetterQuery, DeadLetterReason } from './broker';

/** Entries returned per page when a query sets no limit. */
const DEFAULT_PAGE_LIMIT = 100;

interface StoredDeadLetter {
  seq: number;
  entry: DeadLetter;
}

/** A selection made by `select`: the stored entries and the cursor after them. */
export interface DeadLetterSelection {
  entries: DeadLetter[];
  nextCursor?: string;
}

export class DeadLetterList {
  readonly #queue: string;
  // Kept in insertion (seq) order, which is also deadAt order.
  #stored: StoredDeadLetter[] = [];
  #nextSeq = 1;

  constructor(queue: string) {
    this.#queue = queue;
  }

  get size(): number {
    return this.#stored.length;
  }

  /** Appends a dead letter; the envelope and reason are stored as given (callers copy). */
  add(envelope: Envelope, reason: DeadLetterReason, deliveryCount: number): DeadLetter {
    const entry: DeadLetter = {
      id: randomUUID(),
      queue: this.#queue,
      envelope,
      reason,
      deadAt: Date.now(),
      deliveryCount,
    };
    this.#stored.push({ seq: this.#nextSeq++, entry });
    return entry;
  }

  /**
   * The page `query` selects, oldest first: entries after `cursor`, restricted to `ids`
   * when given, at most `limit` of them. The entries are the stored objects, not copies.
   */
  select(query: DeadLetterQuery): DeadLetterSelection {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`dead-letter query limit must be a positive integer, got ${limit}`);
    }
    const afterSeq = query.cursor === undefined ? 0 : parseCursor(query.cursor);
    const ids = query.ids === undefined ? undefined : new Set(query.ids);
    const matching = this.#stored.filter(
      (stored) => stored.seq > afterSeq && (ids === undefined || ids.has(stored.entry.id)),
    );
    const page = matching.slice(0, limit);
    const last = page.at(-1);
    return {
      entries: page.map((stored) => stored.entry),
      ...(matching.length > limit && last !== undefined ? { nextCursor: String(last.seq) } : {}),
    };
  }

  /** Removes the given entries; returns how many were present. */
  remove(entries: readonly DeadLetter[]): number {
    const doomed = new Set(entries.map((entry) => entry.id));
    const before = this.#stored.length;
    this.#stored = this.#stored.filter((stored) => !doomed.has(stored.entry.id));
    return before - this.#stored.length;
  }
}

function parseCursor(cursor: string): number {
  if (!/^\d+$/.test(cursor)) throw new NotFoundError(`dead-letter cursor "${cursor}"`);
  return Number(cursor);
}
