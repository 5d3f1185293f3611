/**
 * The Redis broker's public settings: its capabilities, its options and what queue
 * maintenance reports, with the argument checks and the consumers' blocking connections.
 */
import type { BrokerCapabilities } from '@stem/core';
import { Cluster } from 'ioredis';
import {
  type RedisClient,
  type RedisConnectionOptions,
  warnOncePerOutage,
} from '../connection/redis-connection';

/** What the Redis broker can do (with the default envelope limit). Frozen. */
export const REDIS_BROKER_CAPABILITIES: Readonly<BrokerCapabilities> = Object.freeze({
  adapter: 'redis',
  delayedDelivery: Object.freeze({ native: true, maxDelayMs: null }),
  maxLeaseMs: 12 * 60 * 60 * 1000,
  maxEnvelopeBytes: 1_048_576,
  priorityLevels: 10,
  countsDeliveriesNatively: true,
  ordering: 'fifo',
});

export interface RedisBrokerOptions extends RedisConnectionOptions {
  /** Largest encoded envelope accepted, in UTF-8 bytes. @default 1_048_576 (1 MiB) */
  maxEnvelopeBytes?: number;
  /**
   * Longest an idle consumer waits in its blocking read before looking again for leases
   * that other processes let lapse, in ms. Its own leases and due delayed messages
   * wake it exactly. @default 1_000
   */
  maxBlockMs?: number;
  /** How often each consumer trims its queue and prunes idle consumers, in ms. @default 30_000 */
  maintenanceIntervalMs?: number;
  /** Consumers idle this long with nothing pending are deleted, in ms. @default 600_000 */
  idleConsumerMs?: number;
}

/** What `maintainQueue` did. */
export interface QueueMaintenance {
  /** Stream entries trimmed (acknowledged ones only). */
  trimmed: number;
  /** Consumers deleted (only ones holding nothing). */
  consumersRemoved: number;
}

/**
 * A connection of its own for one consumer's blocking reads, named (CLIENT SETNAME) so an
 * operator can tell it apart in CLIENT LIST. Always owned by the broker.
 */
export function blockingDuplicate(client: RedisClient, name: string): RedisClient {
  if (client instanceof Cluster) return warnOncePerOutage(client.duplicate());
  return warnOncePerOutage(client.duplicate({ connectionName: name }));
}

export function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}
