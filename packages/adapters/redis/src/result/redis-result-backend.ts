/**
 * A ResultBackend on Redis: one string per record, its fields joined by NUL (see
 * result-record-fields.ts), one hash per group counter, scripts for every read-modify-write. `waitFor` is woken by a
 * pub/sub message on the task's channel, received on one subscriber connection per
 * instance that all of its waiters share. Runs on the caller's (main) thread.
 */
import {
  ClosedError,
  type GroupInit,
  type GroupMemberResult,
  type GroupProgress,
  type GroupState,
  isTerminalStatus,
  NotFoundError,
  type ResultBackend,
  type ResultBackendCapabilities,
  type ResultMeta,
  type ResultRecord,
  type SetResultOptions,
  type WaitOptions,
} from '@stem/core';
import { Cluster } from 'ioredis';
import { ChannelSubscriber } from '../connection/channel-subscriber';
import { LuaScript } from '../connection/lua-script';
import {
  type RedisClient,
  type RedisConnectionOptions,
  resolveRedisConnection,
} from '../connection/redis-connection';
import { TickBatches } from '../connection/tick-batches';
import { awaitTerminalRecord } from './await-terminal-record';
import {
  FIELD_SEPARATOR,
  metaPatchToFields,
  pairsToFields,
  recordFromFields,
  splitFields,
} from './result-record-fields';
import addGroupResultSource from './scripts/add-group-result.lua';
import claimGroupCallbackSource from './scripts/claim-group-callback.lua';
import initGroupSource from './scripts/init-group.lua';
import setResultsSource from './scripts/set-results.lua';
import updateResultMetaSource from './scripts/update-result-meta.lua';
import { type RecordWrite, writeResultBatch } from './write-result-batch';

const setResults = new LuaScript('set-results', setResultsSource);
const updateResultMeta = new LuaScript('update-result-meta', updateResultMetaSource);
const initGroup = new LuaScript('init-group', initGroupSource);
const addGroupResult = new LuaScript('add-group-result', addGroupResultSource);
const claimGroupCallback = new LuaScript('claim-group-callback', claimGroupCallbackSource);

const MEMBER_PREFIX = 'member:';
/** Most records one set-results call writes (after replaced ones are left out). */
const SET_BATCH = 50;

/** `url` or `client`, and the key `namespace` (@default 'stem'). */
export type RedisResultBackendOptions = RedisConnectionOptions;

export class RedisResultBackend implements ResultBackend {
  readonly capabilities: ResultBackendCapabilities = {
    adapter: 'redis',
    pushNotifications: true,
  };
  readonly #client: RedisClient;
  readonly #owned: boolean;
  readonly #namespace: string;
  readonly #subscriber: ChannelSubscriber;
  /** Rejects this instance's pending waits on close. */
  readonly #pendingWaits = new Set<(error: Error) => void>();
  /** Records set in this tick, written together (one script call) at its end. */
  readonly #sets = new TickBatches<RecordWrite>(Number.POSITIVE_INFINITY, (_, calls) =>
    writeResultBatch(this.#client, setResults, calls, SET_BATCH),
  );
  #closed = false;

  constructor(options: RedisResultBackendOptions) {
    const { client, owned, namespace } = resolveRedisConnection(options);
    this.#client = client;
    this.#owned = owned;
    this.#namespace = namespace;
    this.#subscriber = new ChannelSubscriber(client, 'RedisResultBackend');
  }

  /**
   * Stores `record` (ignored if non-terminal over terminal); `ttlMs` @default none.
   * Records set in the same tick (a busy worker's STARTED and SUCCESS records) go out in
   * one script call, in the order they were set; on a cluster, where their keys live in
   * different slots, each goes alone. The record is read when it is sent, at the end of
   * the tick: do not change it before the returned promise settles.
   */
  set(record: ResultRecord, options: SetResultOptions = {}): Promise<void> {
    if (this.#closed) return Promise.reject(new ClosedError('RedisResultBackend'));
    for (const name of Object.keys(record.meta)) {
      if (name.includes(FIELD_SEPARATOR)) {
        return Promise.reject(
          new RangeError(`result meta name ${JSON.stringify(name)} holds a NUL character`),
        );
      }
    }
    const write: RecordWrite = {
      key: this.#recordKey(record.taskId),
      channel: this.#doneChannel(record.taskId),
      record,
      terminal: isTerminalStatus(record.status),
      ttl: options.ttlMs === undefined ? '' : String(Math.max(1, Math.ceil(options.ttlMs))),
    };
    // Not an async function: this runs twice per task, and the batch's promise will do.
    if (!(this.#client instanceof Cluster)) return this.#sets.add('', write);
    return new Promise((resolve, reject) => {
      writeResultBatch(this.#client, setResults, [{ input: write, resolve, reject }], 1);
    });
  }

  /** Merges `meta` (an undefined entry removes it) and stamps `updatedAt`; NOT_FOUND if absent. */
  async updateMeta(taskId: string, meta: Partial<ResultMeta>): Promise<void> {
    this.#beginCommand();
    const { set, remove } = metaPatchToFields(meta);
    const updatedAt = await updateResultMeta.run(
      this.#client,
      [this.#recordKey(taskId)],
      [set.length / 2, ...set, ...remove],
    );
    if (updatedAt === -1) throw new NotFoundError(`result of task ${taskId}`);
  }

  async get(taskId: string): Promise<ResultRecord | undefined> {
    this.#beginCommand();
    const key = this.#recordKey(taskId);
    let text: string | null;
    try {
      text = await this.#client.get(key);
    } catch (error) {
      // A record kept as a hash by an earlier version (until it is next written).
      if (!String(error).includes('WRONGTYPE')) throw error;
      return recordFromFields(await this.#client.hgetall(key));
    }
    return text === null ? undefined : recordFromFields(pairsToFields(splitFields(text)));
  }

  /**
   * Resolves once the record is terminal (at once if it is). Rejects with RESULT_TIMEOUT
   * after `timeoutMs` (@default no limit), with the signal's reason on abort, and with
   * CLOSED if this instance closes first.
   */
  async waitFor(taskId: string, options: WaitOptions = {}): Promise<ResultRecord> {
    this.#beginCommand();
    options.signal?.throwIfAborted();
    const existing = await this.get(taskId);
    if (existing !== undefined && isTerminalStatus(existing.status)) return existing;
    // close() may have run during the read; it only rejects waits it can see.
    this.#beginCommand();
    return awaitTerminalRecord({
      taskId,
      options,
      pendingWaits: this.#pendingWaits,
      subscriber: this.#subscriber,
      channel: this.#doneChannel(taskId),
      parse: (message) => recordFromFields(pairsToFields(splitFields(message))),
      read: () => this.get(taskId),
    });
  }

  async forget(taskId: string): Promise<void> {
    this.#beginCommand();
    await this.#client.del(this.#recordKey(taskId));
  }

  /** Creates the group counter unless a live one exists (then its state is kept). */
  async initGroup(init: GroupInit): Promise<void> {
    this.#beginCommand();
    const ttl = init.ttlMs === undefined ? '' : String(Math.max(1, Math.ceil(init.ttlMs)));
    await initGroup.run(this.#client, [this.#groupKey(init.groupId)], [init.size, ttl]);
  }

  /**
   * Stores a member's result and counts distinct indexes; a repeated index changes
   * nothing. NOT_FOUND if the group does not exist; RangeError for an index outside
   * 0…size-1.
   */
  async addGroupResult(member: GroupMemberResult): Promise<GroupProgress> {
    this.#beginCommand();
    const { groupId, index } = member;
    if (!Number.isInteger(index) || index < 0) {
      throw new RangeError(`group ${groupId} has no member ${index}`);
    }
    const reply = (await addGroupResult.run(
      this.#client,
      [this.#groupKey(groupId)],
      [index, JSON.stringify(member.record)],
    )) as number[];
    if (reply[0] === -1) throw new NotFoundError(`group ${groupId}`);
    if (reply[0] === -2) {
      throw new RangeError(`group ${groupId} has no member ${index} (size ${reply[1]})`);
    }
    return { completed: reply[0]!, size: reply[1]!, justCompleted: reply[2] === 1 };
  }

  /** First claimant wins; the same claimant again is granted; NOT_FOUND if no group. */
  async claimGroupCallback(groupId: string, claimant: string): Promise<boolean> {
    this.#beginCommand();
    const reply = await claimGroupCallback.run(this.#client, [this.#groupKey(groupId)], [claimant]);
    if (reply === -1) throw new NotFoundError(`group ${groupId}`);
    return reply === 1;
  }

  async getGroup(groupId: string): Promise<GroupState | undefined> {
    this.#beginCommand();
    const fields = await this.#client.hgetall(this.#groupKey(groupId));
    if (fields.size === undefined) return undefined;
    const size = Number(fields.size);
    const results = Array.from({ length: size }, (_, index) => {
      const text = fields[`${MEMBER_PREFIX}${index}`];
      return text === undefined ? undefined : (JSON.parse(text) as ResultRecord);
    });
    return {
      groupId,
      size,
      completed: Number(fields.completed),
      results,
      ...(fields.claimant === undefined ? {} : { callbackClaimant: fields.claimant }),
    };
  }

  async forgetGroup(groupId: string): Promise<void> {
    this.#beginCommand();
    await this.#client.del(this.#groupKey(groupId));
  }

  /**
   * Rejects pending waits with CLOSED, closes the subscriber connection, and quits the
   * client if this instance created it.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const error = new ClosedError('RedisResultBackend');
    for (const reject of [...this.#pendingWaits]) reject(error);
    await this.#subscriber.close();
    if (this.#owned) await this.#client.quit().catch(() => this.#client.disconnect());
  }

  #recordKey(taskId: string): string {
    return `${this.#namespace}:result:${taskId}`;
  }

  #groupKey(groupId: string): string {
    return `${this.#namespace}:group:${groupId}`;
  }

  /** Channels are not keys: they live outside the keyspace and need no hash tag. */
  #doneChannel(taskId: string): string {
    return `${this.#namespace}:result-done:${taskId}`;
  }

  /**
   * Every other command starts here: refused once closed, and sent after the records set
   * earlier in this tick, so commands reach Redis in the order they were issued (a
   * progress update right after STARTED finds the record).
   */
  #beginCommand(): void {
    if (this.#closed) throw new ClosedError('RedisResultBackend');
    this.#sets.flush();
  }
}
