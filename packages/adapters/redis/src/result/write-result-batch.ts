/**
 * Writes the result records of one tick with set-results.lua calls of at most
 * `maxPerCall` records, in the order they were set. A non-terminal record followed in
 * the tick by another record of the same task would be replaced before anyone could
 * read it: it is left out (a quick task's STARTED next to its SUCCESS) and settles with
 * the record that replaces it. This is decided over the whole tick before it is cut into
 * calls, so a STARTED and its SUCCESS never land in different calls. A terminal record is
 * always written, since it also keeps a later non-terminal one out.
 */
import type { ResultRecord } from '@stem/core';
import type { LuaScript } from '../connection/lua-script';
import type { RedisClient } from '../connection/redis-connection';
import type { BatchedCall } from '../connection/tick-batches';
import { recordToJoinedFields } from './result-record-fields';

/** One record to write. The record is read when the batch is sent. */
export interface RecordWrite {
  key: string;
  /** Where waiters hear of a terminal record. */
  channel: string;
  record: ResultRecord;
  terminal: boolean;
  /** TTL in ms as text, '' for none. */
  ttl: string;
}

export function writeResultBatch(
  client: RedisClient,
  setResults: LuaScript,
  calls: Array<BatchedCall<RecordWrite>>,
  maxPerCall: number,
): void {
  const last = new Map<string, BatchedCall<RecordWrite>>();
  for (const call of calls) last.set(call.input.key, call);
  const written: Array<BatchedCall<RecordWrite>> = [];
  const alsoSettles = new Map<BatchedCall<RecordWrite>, Array<BatchedCall<RecordWrite>>>();
  for (const call of calls) {
    const latest = last.get(call.input.key)!;
    if (latest === call || call.input.terminal) written.push(call);
    else if (alsoSettles.has(latest)) alsoSettles.get(latest)!.push(call);
    else alsoSettles.set(latest, [call]);
  }
  for (let start = 0; start < written.length; start += maxPerCall) {
    const chunk = written.slice(start, start + maxPerCall);
    const keys: string[] = [];
    const args: string[] = [];
    for (const { input } of chunk) {
      keys.push(input.key);
      // The fields travel as one NUL-joined argument (see set-results.lua).
      args.push(input.terminal ? '1' : '0', input.ttl, input.channel);
      args.push(recordToJoinedFields(input.record));
    }
    const settle = (settleOne: (call: BatchedCall<RecordWrite>) => void) => {
      for (const call of chunk) {
        settleOne(call);
        for (const replaced of alsoSettles.get(call) ?? []) settleOne(replaced);
      }
    };
    setResults.run(client, keys, args).then(
      () => settle((call) => call.resolve(undefined)),
      (error: unknown) => settle((call) => call.reject(error)),
    );
  }
}
