/**
 * The schedule store's Lua scripts, bound to one namespace's keys: each method passes
 * every key through KEYS[] (see the headers in scripts/) and decodes the reply.
 */
import type { ClaimRequest, ScheduleEntry, ScheduleRun } from '@stem/core';
import { LuaScript } from '../connection/lua-script';
import type { RedisClient } from '../connection/redis-connection';
import type { ScheduleKeys } from './schedule-keys';
import appendRunSource from './scripts/append-run.lua';
import claimOccurrenceSource from './scripts/claim-occurrence.lua';
import createEntrySource from './scripts/create-entry.lua';
import deleteEntrySource from './scripts/delete-entry.lua';
import markOccurrencePublishedSource from './scripts/mark-occurrence-published.lua';
import takeOverOccurrenceSource from './scripts/take-over-occurrence.lua';
import updateEntrySource from './scripts/update-entry.lua';

const createEntry = new LuaScript('create-entry', createEntrySource);
const updateEntry = new LuaScript('update-entry', updateEntrySource);
const deleteEntry = new LuaScript('delete-entry', deleteEntrySource);
const claimOccurrence = new LuaScript('claim-occurrence', claimOccurrenceSource);
const markOccurrencePublished = new LuaScript(
  'mark-occurrence-published',
  markOccurrencePublishedSource,
);
const takeOverOccurrence = new LuaScript('take-over-occurrence', takeOverOccurrenceSource);
const appendRun = new LuaScript('append-run', appendRunSource);

export type UpdateOutcome =
  | { kind: 'written'; updatedAt: number }
  | { kind: 'conflict'; version: number }
  | { kind: 'missing' };

export type DeleteOutcome =
  | { kind: 'deleted'; version: number }
  | { kind: 'conflict'; version: number }
  | { kind: 'missing' };

export class ScheduleScripts {
  readonly #client: RedisClient;
  readonly #keys: ScheduleKeys;

  constructor(client: RedisClient, keys: ScheduleKeys) {
    this.#client = client;
    this.#keys = keys;
  }

  /** Resolves to createdAt, or -1 if the id is taken. */
  async create(
    entryId: string,
    body: string,
    [enabled, nextRunAt]: [string, string],
  ): Promise<number> {
    const { entries, versions, enabledIds, disabledIds, due, changes } = this.#keys;
    return (await createEntry.run(
      this.#client,
      [entries, versions, enabledIds, disabledIds, due],
      [entryId, body, enabled, nextRunAt, changes],
    )) as number;
  }

  /** Compare-and-set of `current` (as read) to `body`. */
  async update(
    entryId: string,
    current: ScheduleEntry,
    body: string,
    [enabled, nextRunAt]: [string, string],
  ): Promise<UpdateOutcome> {
    const { entries, versions, enabledIds, disabledIds, due, changes } = this.#keys;
    const reply = (await updateEntry.run(
      this.#client,
      [entries, versions, enabledIds, disabledIds, due],
      [entryId, current.version, body, enabled, nextRunAt, current.updatedAt, changes],
    )) as number[];
    if (reply[0] === 1) return { kind: 'written', updatedAt: reply[1]! };
    if (reply[0] === 0) return { kind: 'conflict', version: reply[1]! };
    return { kind: 'missing' };
  }

  async delete(entryId: string, expectedVersion: number | undefined): Promise<DeleteOutcome> {
    const k = this.#keys;
    const reply = (await deleteEntry.run(
      this.#client,
      [
        k.entries,
        k.versions,
        k.enabledIds,
        k.disabledIds,
        k.due,
        k.claims,
        k.unpublished,
        k.claimsOf(entryId),
        k.runsOf(entryId),
      ],
      [entryId, expectedVersion ?? '', k.changes],
    )) as number[];
    if (reply[0] === 1) return { kind: 'deleted', version: reply[1]! };
    if (reply[0] === 0) return { kind: 'conflict', version: reply[1]! };
    return { kind: 'missing' };
  }

  /** The raw reply: ['claimed', claimedAt] | ['missing'] | ['stale'] | ['taken', heldBy]. */
  async claim(
    request: ClaimRequest,
    occurrenceId: string,
    keep: number,
  ): Promise<Array<string | number>> {
    const { versions, claims, unpublished, claimsOf } = this.#keys;
    return (await claimOccurrence.run(
      this.#client,
      [versions, claims, unpublished, claimsOf(request.entryId)],
      [
        request.entryId,
        occurrenceId,
        request.scheduledAt,
        request.claimant,
        request.entryVersion,
        keep,
      ],
    )) as Array<string | number>;
  }

  /** Resolves to publishedAt, or -1 if there is no such claim. */
  async markPublished(occurrenceId: string, taskId: string): Promise<number> {
    const { claims, unpublished } = this.#keys;
    return (await markOccurrencePublished.run(
      this.#client,
      [claims, unpublished],
      [occurrenceId, taskId],
    )) as number;
  }

  /** The raw reply: ['taken-over', claimJson, previous] | ['missing'|'published'|'fresh']. */
  async takeOver(occurrenceId: string, claimant: string, minAgeMs: number): Promise<string[]> {
    const { claims, unpublished } = this.#keys;
    return (await takeOverOccurrence.run(
      this.#client,
      [claims, unpublished],
      [occurrenceId, claimant, Math.max(0, Math.floor(minAgeMs))],
    )) as string[];
  }

  /** Resolves to 1, or -1 if the entry does not exist. */
  async appendRun(run: ScheduleRun, keep: number): Promise<number> {
    const { versions, runsOf } = this.#keys;
    return (await appendRun.run(
      this.#client,
      [versions, runsOf(run.entryId)],
      [run.entryId, JSON.stringify(run), keep],
    )) as number;
  }
}
