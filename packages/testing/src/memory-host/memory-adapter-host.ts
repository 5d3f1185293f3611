/**
 * Serves the in-memory adapters to other processes over a Unix domain socket, so tests
 * can SIGKILL a real worker process while the broker, results, revocations, events and
 * rate limits live on, exactly as they would on a Redis server. Each namespace a client
 * names gets its own set of states. Runs in the test process or in a dedicated child
 * (host-main.ts), on its main thread.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  IN_MEMORY_BROKER_CAPABILITIES,
  InMemoryBrokerState,
  InMemoryEventBusState,
  InMemoryRateLimiterState,
  InMemoryResultBackendState,
  InMemoryRevocationStoreState,
} from '@stem/core';
import { HostSession } from './host-session';
import type { MemoryHostStates } from './hosted-adapter';
import { DEFAULT_MEMORY_HOST_NAMESPACE } from './memory-host-protocol';

export interface MemoryAdapterHostOptions {
  /**
   * Where to listen. The path must not exist yet.
   * @default a fresh `stem-memory-host-<random>.sock` under `os.tmpdir()`
   */
  socketPath?: string;
  /**
   * States to serve for the default namespace, to share them with adapters built in
   * this process; the host never disposes states it was given.
   * @default fresh states, created on first use and disposed by `close`
   */
  states?: Partial<MemoryHostStates>;
  /** Largest encoded envelope the served brokers accept, in UTF-8 bytes. @default 1_048_576 */
  maxEnvelopeBytes?: number;
}

export class MemoryAdapterHost {
  /** The Unix domain socket clients connect to. */
  readonly socketPath: string;
  readonly #server: Server;
  readonly #given: Partial<MemoryHostStates>;
  readonly #namespaces = new Map<string, MemoryHostStates>();
  readonly #sessions = new Set<HostSession>();
  readonly #maxEnvelopeBytes: number;
  #closing: Promise<void> | undefined;

  private constructor(socketPath: string, options: MemoryAdapterHostOptions) {
    this.socketPath = socketPath;
    this.#given = options.states ?? {};
    this.#maxEnvelopeBytes =
      options.maxEnvelopeBytes ?? IN_MEMORY_BROKER_CAPABILITIES.maxEnvelopeBytes;
    this.#server = createServer((socket) => {
      if (this.#closing !== undefined) {
        socket.destroy();
        return;
      }
      const session = new HostSession(socket, {
        statesFor: (namespace) => this.states(namespace),
        maxEnvelopeBytes: this.#maxEnvelopeBytes,
        onClosed: (ended) => this.#sessions.delete(ended),
      });
      this.#sessions.add(session);
    });
  }

  /**
   * Listens on `options.socketPath` and resolves once clients can connect. Rejects if
   * the path is taken (EADDRINUSE), e.g. by a host that was SIGKILLed and left it.
   */
  static async start(options: MemoryAdapterHostOptions = {}): Promise<MemoryAdapterHost> {
    const socketPath =
      options.socketPath ?? join(tmpdir(), `stem-memory-host-${randomUUID().slice(0, 8)}.sock`);
    const host = new MemoryAdapterHost(socketPath, options);
    await new Promise<void>((resolve, reject) => {
      host.#server.once('error', reject);
      host.#server.listen(socketPath, () => {
        host.#server.off('error', reject);
        resolve();
      });
    });
    return host;
  }

  /** Clients connected now; a killed client leaves once the host has seen its socket close. */
  get connectionCount(): number {
    return this.#sessions.size;
  }

  /**
   * The states served for `namespace` (@default `default`), created on first use. Build
   * in-process adapters on them to share queues with the host's clients.
   */
  states(namespace: string = DEFAULT_MEMORY_HOST_NAMESPACE): MemoryHostStates {
    let states = this.#namespaces.get(namespace);
    if (states === undefined) {
      const given = namespace === DEFAULT_MEMORY_HOST_NAMESPACE ? this.#given : {};
      states = {
        broker: given.broker ?? new InMemoryBrokerState(),
        resultBackend: given.resultBackend ?? new InMemoryResultBackendState(),
        revocationStore: given.revocationStore ?? new InMemoryRevocationStoreState(),
        eventBus: given.eventBus ?? new InMemoryEventBusState(),
        rateLimiter: given.rateLimiter ?? new InMemoryRateLimiterState(),
      };
      this.#namespaces.set(namespace, states);
    }
    return states;
  }

  /**
   * Stops listening, drops every client (their calls then fail with CONNECTION_FAILED)
   * and disposes the broker states it created. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const session of this.#sessions) session.destroy();
    await stopped;
    for (const states of this.#namespaces.values()) {
      if (states.broker !== this.#given.broker) states.broker.dispose();
    }
    this.#namespaces.clear();
  }
}
