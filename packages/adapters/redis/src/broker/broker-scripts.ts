/**
 * The broker's Lua scripts, registered on a client with ioredis' `defineCommand` (which
 * sends EVALSHA and falls back to EVAL after NOSCRIPT, also in pipelines and on a
 * cluster). Each script is its operation's file prefixed with the shared preludes; the
 * LEASE_LOST error reply of the fenced ones becomes core's LeaseLostError here.
 */
import { LeaseLostError } from '@stem/core';
import type { ChainableCommander } from 'ioredis';
import { type RedisClient, sendWithinTick } from '../connection/redis-connection';
import { QUEUE_KEY_COUNT } from './redis-queue-keys';
import ackAndReserve from './scripts/ack-and-reserve.lua';
import ackFenced from './scripts/ack-fenced.lua';
import deadLetterFenced from './scripts/dead-letter-fenced.lua';
import extendLease from './scripts/extend-lease.lua';
import leaseFence from './scripts/lease-fence.lua';
import nackFenced from './scripts/nack-fenced.lua';
import pruneIdleConsumers from './scripts/prune-idle-consumers.lua';
import publishMessage from './scripts/publish-message.lua';
import purgeReady from './scripts/purge-ready.lua';
import queueLayout from './scripts/queue-layout.lua';
import queueStats from './scripts/queue-stats.lua';
import releaseFenced from './scripts/release-fenced.lua';
import replayDeadLetters from './scripts/replay-dead-letters.lua';
import reserveDeliveries from './scripts/reserve-deliveries.lua';
import trimSettledEntries from './scripts/trim-settled-entries.lua';

/** Script bodies by command name; fenced ones also get the lease-fence prelude. */
const SCRIPTS = {
  stemBrokerAckReserve: [ackAndReserve, true],
  stemBrokerPublish: [publishMessage, false],
  stemBrokerReserve: [reserveDeliveries, false],
  stemBrokerAck: [ackFenced, true],
  stemBrokerNack: [nackFenced, true],
  stemBrokerRelease: [releaseFenced, true],
  stemBrokerExtend: [extendLease, true],
  stemBrokerDeadLetter: [deadLetterFenced, true],
  stemBrokerStats: [queueStats, false],
  stemBrokerPurge: [purgeReady, false],
  stemBrokerTrim: [trimSettledEntries, false],
  stemBrokerPrune: [pruneIdleConsumers, false],
  stemBrokerReplay: [replayDeadLetters, false],
} as const satisfies Record<string, readonly [string, boolean]>;

/** Name of one broker script command. */
export type BrokerScriptName = keyof typeof SCRIPTS;

type ScriptArgument = string | number;
type ScriptCall = (...args: ScriptArgument[]) => Promise<unknown>;

/** The reserve source last defined on each client (a test may have replaced the broker's). */
const reserveSources = new WeakMap<RedisClient, string>();

/**
 * Defines every broker script on `client` (idempotent; shared clients are fine).
 * `reserveSource` replaces reserve-deliveries.lua, in the reserve and in ack-and-reserve
 * (tests sabotage it). ack-and-reserve gets the reserve as a function whose parameter
 * shadows ARGV, so the one source serves both.
 */
export function defineBrokerScripts(client: RedisClient, reserveSource = reserveDeliveries): void {
  reserveSources.set(client, reserveSource);
  const reserveFunction = `local function reserve_deliveries(ARGV)\n${reserveSource}\nend`;
  for (const [name, [source, fenced]] of Object.entries(SCRIPTS)) {
    let body: string = source;
    if (name === 'stemBrokerReserve') body = reserveSource;
    if (name === 'stemBrokerAckReserve') body = `${reserveFunction}\n${source}`;
    const lua = fenced ? `${queueLayout}\n${leaseFence}\n${body}` : `${queueLayout}\n${body}`;
    client.defineCommand(name, { numberOfKeys: QUEUE_KEY_COUNT, lua });
  }
}

/**
 * Defines on `to` the broker scripts as they are on `from` (a consumer's blocking
 * duplicate runs the same reserve as its client, including one a test registered over
 * the broker's own).
 */
export function copyBrokerScripts(from: RedisClient, to: RedisClient): void {
  defineBrokerScripts(to, reserveSources.get(from) ?? reserveDeliveries);
}

/** Runs script `name` with a queue's keys (from `queueKeys`) and `args`. */
export function runBrokerScript(
  client: RedisClient,
  name: BrokerScriptName,
  keys: readonly string[],
  args: readonly ScriptArgument[],
): Promise<unknown> {
  const call = (client as unknown as Record<BrokerScriptName, ScriptCall>)[name];
  sendWithinTick(client);
  return call.call(client, ...keys, ...args);
}

/** Queues script `name` on a pipeline (its reply arrives with the pipeline's). */
export function queueBrokerScript(
  pipeline: ChainableCommander,
  name: BrokerScriptName,
  keys: readonly string[],
  args: readonly ScriptArgument[],
): void {
  const call = (pipeline as unknown as Record<BrokerScriptName, ScriptCall>)[name];
  call.call(pipeline, ...keys, ...args);
}

/**
 * Runs a fenced script; its LEASE_LOST reply becomes LeaseLostError naming the
 * message and the refused operation.
 */
export async function runFencedScript(
  client: RedisClient,
  name: BrokerScriptName,
  keys: readonly string[],
  args: readonly [messageId: string, leaseToken: string, ...rest: ScriptArgument[]],
  operation: string,
): Promise<unknown> {
  try {
    return await runBrokerScript(client, name, keys, args);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('LEASE_LOST')) {
      throw new LeaseLostError(args[0], operation);
    }
    throw error;
  }
}
