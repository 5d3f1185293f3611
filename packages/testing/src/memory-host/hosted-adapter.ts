/**
 * What the host keeps for one adapter instance a client opened: a real in-memory
 * adapter on the namespace's shared state, and a `call` that runs one wire operation
 * against it. Lives in the host process; one connection may hold several instances.
 */
import type {
  InMemoryBrokerState,
  InMemoryEventBusState,
  InMemoryRateLimiterState,
  InMemoryResultBackendState,
  InMemoryRevocationStoreState,
} from '@stem/core';
import type { HostPush } from './memory-host-protocol';

/** The shared in-memory states of one namespace: what one `memory://name` server holds. */
export interface MemoryHostStates {
  broker: InMemoryBrokerState;
  resultBackend: InMemoryResultBackendState;
  revocationStore: InMemoryRevocationStoreState;
  eventBus: InMemoryEventBusState;
  rateLimiter: InMemoryRateLimiterState;
}

/** What a hosted adapter may touch beyond its own adapter: the connection it serves. */
export interface HostSessionLinks {
  /** Sends a push to this connection's client. */
  push(message: HostPush): void;
  /**
   * Cancels of this connection's consumer and event subscriptions, by the id the client
   * chose. Shared by every instance on the connection, since ids are per connection.
   */
  subscriptions: Map<string, () => Promise<void>>;
  /** Aborts of this connection's pending `waitFor` calls, by request id. */
  waits: Map<number, AbortController>;
}

/** One adapter instance served to a client. */
export interface HostedAdapter {
  /**
   * Runs `operation` (the part of the method after the dot) with the request's args;
   * `requestId` is the id of the request being served (a later cancel names it).
   */
  call(operation: string, args: readonly unknown[], requestId: number): Promise<unknown>;
  /**
   * Detaches the instance as its own `close` does: subscriptions end, held deliveries
   * stay leased, waits end. Called for an explicit close and when the client vanishes.
   */
  close(): Promise<void>;
}

/** The error for a method the host does not serve: a client of another version, or a typo. */
export function unknownOperation(adapter: string, operation: string): Error {
  return new TypeError(`the memory host has no operation ${adapter}.${operation}`);
}
