/**
 * Writes one batch of result records with one set-results.lua call, in the order they
 * were set. A non-terminal record followed in the batch by another record of the same
 * task would be replaced inside the same atomic script call, where nobody can see it:
 * it is left out (a quick task's STARTED next to its SUCCESS) and settles with the record
 * that replaces it. A terminal record is always written, since it also keeps a later
 * non-terminal one out.
 */
import type { ResultRecord } from '@stem/core';
import type { LuaScript } from '../connection/lua-script';
import type { RedisClient } from '../connection/redis-connection';
import type { BatchedCall } from '../connection/tick-batches';
import { joinFields, recordToFields } from './result-record-fields';

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
  const settled = (call: BatchedCall<RecordWrite>) => [call, ...(alsoSettles.get(call) ?? [])];
  setResults
    .run(
      client,
      written.map(({ input }) => input.key),
      written.flatMap(({ input }) => [
        input.terminal ? '1' : '0',
        input.ttl,
        input.channel,
        // The fields as one NUL-joined argument (see set-results.lua).
        joinFields(recordToFields(input.record)),
      ]),
    )
    .then(
      () => {
        for (const call of written.flatMap(settled)) call.resolve(undefined);
      },
      (error: unknown) => {
        for (const call of written.flatMap(settled)) call.reject(error);
      },
    );
}
