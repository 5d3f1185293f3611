/**
 * One client connection on the host: the handshake that picks its namespace, the
 * adapter instances it opened (created on first use of a target id), and the cleanup
 * when the socket closes. A closed socket means a dead client, so its instances are
 * closed exactly as their own `close` would: subscriptions and waits end, but held
 * deliveries are not settled and come back when their leases end. Runs in the host
 * process, on its main thread.
 */
import type { Socket } from 'node:net';
import {
  type BrokerCapabilities,
  ClosedError,
  InMemoryBroker,
  InMemoryEventBus,
  InMemoryRateLimiter,
  InMemoryResultBackend,
  InMemoryRevocationStore,
  type ResultBackendCapabilities,
  toErrorRecord,
} from '@stem/core';
import type { HostedAdapter, HostSessionLinks, MemoryHostStates } from './hosted-adapter';
import { HostedBroker } from './hosted-broker';
import { HostedEventBus } from './hosted-event-bus';
import { HostedRateLimiter } from './hosted-rate-limiter';
import { HostedResultBackend } from './hosted-result-backend';
import { HostedRevocationStore } from './hosted-revocation-store';
import {
  type HostRequest,
  isHostRequest,
  MEMORY_HOST_PROTOCOL_VERSION,
  readMessages,
  writeMessage,
} from './memory-host-protocol';

/** What a client learns from the handshake. */
export interface MemoryHostWelcome {
  protocolVersion: number;
  namespace: string;
  brokerCapabilities: BrokerCapabilities;
  resultBackendCapabilities: ResultBackendCapabilities;
}

/** What a session needs from its host. */
export interface HostSessionOptions {
  statesFor(namespace: string): MemoryHostStates;
  /** Largest encoded envelope the brokers accept, in UTF-8 bytes. */
  maxEnvelopeBytes: number;
  onClosed(session: HostSession): void;
}

export class HostSession {
  readonly #socket: Socket;
  readonly #options: HostSessionOptions;
  readonly #links: HostSessionLinks;
  /** Open instances by `<adapter>#<target>`. */
  readonly #adapters = new Map<string, HostedAdapter>();
  /** Instances the client closed: their target ids are never served again. */
  readonly #closedKeys = new Set<string>();
  #states: MemoryHostStates | undefined;
  #ended = false;

  constructor(socket: Socket, options: HostSessionOptions) {
    this.#socket = socket;
    this.#options = options;
    this.#links = {
      push: (message) => writeMessage(socket, message),
      subscriptions: new Map(),
      waits: new Map(),
    };
    // A client killed mid-write resets the socket; that is a normal end here, and the
    // 'close' that follows does the cleanup.
    socket.on('error', () => undefined);
    socket.once('close', () => void this.#end());
    readMessages(
      socket,
      (message) => this.#serve(message),
      (reason) => {
        process.emitWarning(`memory host dropped a client: ${reason}`, 'StemMemoryHostWarning');
        socket.destroy();
      },
    );
  }

  /** Drops the client (the host is closing); cleanup runs on the socket's 'close'. */
  destroy(): void {
    this.#socket.destroy();
  }

  #serve(message: unknown): void {
    if (!isHostRequest(message)) {
      process.emitWarning('memory host dropped a client: not a request', 'StemMemoryHostWarning');
      this.#socket.destroy();
      return;
    }
    this.#answer(message.id, () => this.#dispatch(message));
  }

  #answer(id: number, run: () => Promise<unknown>): void {
    run().then(
      (value) => writeMessage(this.#socket, { id, ok: true, value }),
      (error: unknown) =>
        writeMessage(this.#socket, { id, ok: false, error: toErrorRecord(error) }),
    );
  }

  async #dispatch(request: HostRequest): Promise<unknown> {
    if (request.method === 'hello') return this.#hello(request.args[0]);
    const dot = request.method.indexOf('.');
    if (dot === -1) throw new TypeError(`the memory host has no method "${request.method}"`);
    const kind = request.method.slice(0, dot);
    const operation = request.method.slice(dot + 1);
    const key = `${kind}#${request.target}`;
    if (this.#closedKeys.has(key)) throw new ClosedError(`${kind} instance ${request.target}`);
    if (operation === 'close') {
      this.#closedKeys.add(key);
      const adapter = this.#adapters.get(key);
      this.#adapters.delete(key);
      return adapter?.close();
    }
    let adapter = this.#adapters.get(key);
    if (adapter === undefined) {
      adapter = this.#open(kind);
      this.#adapters.set(key, adapter);
    }
    // JSON writes an undefined array element as null; no operation takes a null argument,
    // so null means "not given" and defaults apply as they would in-process.
    const args = request.args.map((arg) => (arg === null ? undefined : arg));
    return adapter.call(operation, args, request.id);
  }

  #hello(greeting: unknown): MemoryHostWelcome {
    const { protocolVersion, namespace } = (greeting ?? {}) as Record<string, unknown>;
    if (protocolVersion !== MEMORY_HOST_PROTOCOL_VERSION) {
      throw new TypeError(
        `the memory host speaks protocol ${MEMORY_HOST_PROTOCOL_VERSION}, the client ${String(protocolVersion)}`,
      );
    }
    if (typeof namespace !== 'string' || namespace === '') {
      throw new TypeError('the namespace must be a non-empty string');
    }
    if (this.#states !== undefined) throw new TypeError('hello was already sent');
    this.#states = this.#options.statesFor(namespace);
    return {
      protocolVersion: MEMORY_HOST_PROTOCOL_VERSION,
      namespace,
      brokerCapabilities: this.#brokerCapabilities(),
      resultBackendCapabilities: new InMemoryResultBackend().capabilities,
    };
  }

  #brokerCapabilities(): BrokerCapabilities {
    // Read from a real instance so the client sees exactly what the host's broker does.
    const probe = new InMemoryBroker({
      state: this.#requireStates().broker,
      maxEnvelopeBytes: this.#options.maxEnvelopeBytes,
    });
    void probe.close();
    return probe.capabilities;
  }

  #open(kind: string): HostedAdapter {
    const states = this.#requireStates();
    switch (kind) {
      case 'broker':
        return new HostedBroker(
          new InMemoryBroker({
            state: states.broker,
            maxEnvelopeBytes: this.#options.maxEnvelopeBytes,
          }),
          this.#links,
        );
      case 'result':
        return new HostedResultBackend(
          new InMemoryResultBackend({ state: states.resultBackend }),
          this.#links,
        );
      case 'revocations':
        return new HostedRevocationStore(
          new InMemoryRevocationStore({ state: states.revocationStore }),
        );
      case 'events':
        return new HostedEventBus(new InMemoryEventBus({ state: states.eventBus }), this.#links);
      case 'rateLimiter':
        return new HostedRateLimiter(new InMemoryRateLimiter({ state: states.rateLimiter }));
      default:
        throw new TypeError(`the memory host serves no adapter called "${kind}"`);
    }
  }

  #requireStates(): MemoryHostStates {
    if (this.#states === undefined) throw new TypeError('the client must send hello first');
    return this.#states;
  }

  async #end(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    const adapters = [...this.#adapters.values()];
    this.#adapters.clear();
    const results = await Promise.allSettled(adapters.map((adapter) => adapter.close()));
    for (const result of results) {
      if (result.status === 'rejected') {
        process.emitWarning(
          `memory host could not close a departed client's adapter: ${String(result.reason)}`,
          'StemMemoryHostWarning',
        );
      }
    }
    this.#links.subscriptions.clear();
    this.#links.waits.clear();
    this.#options.onClosed(this);
  }
}
