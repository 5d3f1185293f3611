/**
 * The client end of one socket to a MemoryAdapterHost: the handshake, numbered
 * requests matched to their responses, pushes routed to the subscription ids this side
 * chose, and errors rebuilt from their records so `code` and `retryable` survive. If
 * the host goes away, every call in flight and every later call fails with
 * CONNECTION_FAILED instead of hanging. Runs on the client process's main thread.
 */
import { createConnection, type Socket } from 'node:net';
import {
  type BrokerCapabilities,
  ClosedError,
  type ErrorRecord,
  errorFromRecord,
  type ResultBackendCapabilities,
} from '@stem/core';
import type { MemoryHostWelcome } from './host-session';
import {
  DEFAULT_MEMORY_HOST_NAMESPACE,
  type HostMessage,
  type HostPush,
  MEMORY_HOST_PROTOCOL_VERSION,
  readMessages,
  writeMessage,
} from './memory-host-protocol';
import { MemoryHostUnreachableError } from './memory-host-unreachable-error';

export interface MemoryHostConnectOptions {
  /**
   * Which of the host's state sets to use: clients naming the same namespace share
   * queues and records, like processes on one server; others see nothing of them.
   * @default 'default'
   */
  namespace?: string;
}

/** A request on its way: its id (to cancel it on the host) and its eventual value. */
export interface SentRequest {
  id: number;
  result: Promise<unknown>;
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class MemoryHostConnection {
  readonly socketPath: string;
  readonly #socket: Socket;
  readonly #pending = new Map<number, PendingCall>();
  readonly #listeners = new Map<string, (push: HostPush) => void>();
  #welcome: MemoryHostWelcome | undefined;
  #nextRequestId = 1;
  #nextTarget = 1;
  #nextSubscription = 1;
  #closedByUs = false;
  #failure: string | undefined;
  #socketError: Error | undefined;
  readonly #socketClosed: Promise<void>;

  private constructor(socketPath: string, socket: Socket) {
    this.socketPath = socketPath;
    this.#socket = socket;
    socket.on('error', (error) => {
      this.#socketError = error;
    });
    this.#socketClosed = new Promise((resolve) => {
      socket.once('close', () => {
        this.#onClose();
        resolve();
      });
    });
    readMessages(
      socket,
      (message) => {
        if (typeof message === 'object' && message !== null) this.#receive(message as HostMessage);
        else this.#breakOff('the host sent a line that is not an object');
      },
      (reason) => this.#breakOff(`the host sent a broken line: ${reason}`),
    );
  }

  /** A host that breaks the protocol cannot be trusted with later calls either. */
  #breakOff(problem: string): void {
    this.#failure ??= problem;
    this.#socket.destroy();
  }

  /** Connects and shakes hands; rejects with CONNECTION_FAILED when no host answers. */
  static async open(
    socketPath: string,
    options: MemoryHostConnectOptions = {},
  ): Promise<MemoryHostConnection> {
    const socket = await connectSocket(socketPath);
    const connection = new MemoryHostConnection(socketPath, socket);
    const greeting = {
      protocolVersion: MEMORY_HOST_PROTOCOL_VERSION,
      namespace: options.namespace ?? DEFAULT_MEMORY_HOST_NAMESPACE,
    };
    try {
      connection.#welcome = (await connection.request('hello', 0, [greeting])) as MemoryHostWelcome;
    } catch (error) {
      socket.destroy();
      throw error;
    }
    return connection;
  }

  /** The namespace the host serves this connection from. */
  get namespace(): string {
    return this.#requireWelcome().namespace;
  }

  /** The capabilities of the host's InMemoryBroker. */
  get brokerCapabilities(): BrokerCapabilities {
    return this.#requireWelcome().brokerCapabilities;
  }

  get resultBackendCapabilities(): ResultBackendCapabilities {
    return this.#requireWelcome().resultBackendCapabilities;
  }

  /** A target id for a new adapter instance on this connection. */
  newTarget(): number {
    const target = this.#nextTarget;
    this.#nextTarget += 1;
    return target;
  }

  /**
   * Routes pushes for a new subscription id to `listener`. Registered before the
   * subscribe request is sent, since the host may push before it answers.
   */
  listen(listener: (push: HostPush) => void): string {
    const subscriptionId = String(this.#nextSubscription);
    this.#nextSubscription += 1;
    this.#listeners.set(subscriptionId, listener);
    return subscriptionId;
  }

  unlisten(subscriptionId: string): void {
    this.#listeners.delete(subscriptionId);
  }

  /** Calls `method` on instance `target`; resolves to the host's value. */
  request(method: string, target: number, args: unknown[]): Promise<unknown> {
    return this.send(method, target, args).result;
  }

  /** Like `request`, but also gives the request's id. */
  send(method: string, target: number, args: unknown[]): SentRequest {
    const id = this.#nextRequestId;
    this.#nextRequestId += 1;
    const result = new Promise<unknown>((resolve, reject) => {
      const refusal = this.#refusal();
      if (refusal !== undefined) {
        reject(refusal);
        return;
      }
      this.#pending.set(id, { resolve, reject });
      writeMessage(this.#socket, { id, method, target, args });
    });
    return { id, result };
  }

  /** Stops waiting for request `id`: its answer, when it comes, is dropped. */
  abandon(id: number): void {
    this.#pending.delete(id);
  }

  /** Closes the socket (the host then drops everything this client held). Idempotent. */
  async close(): Promise<void> {
    if (!this.#closedByUs && this.#failure === undefined) {
      this.#closedByUs = true;
      // end() flushes the requests already written, then the socket is torn down.
      this.#socket.end(() => this.#socket.destroy());
    }
    await this.#socketClosed;
  }

  #receive(message: HostMessage): void {
    if ('push' in message) {
      this.#listeners.get(message.subscriptionId)?.(message);
      return;
    }
    const call = this.#pending.get(message.id);
    if (call === undefined) return;
    this.#pending.delete(message.id);
    if (message.ok) call.resolve(message.value);
    else call.reject(errorFromWire(message.error));
  }

  #onClose(): void {
    if (!this.#closedByUs) {
      const why = this.#socketError === undefined ? '' : ` (${this.#socketError.message})`;
      this.#failure ??= `the host closed the connection${why}`;
    }
    const calls = [...this.#pending.values()];
    this.#pending.clear();
    this.#listeners.clear();
    for (const call of calls) call.reject(this.#refusal() ?? new ClosedError('connection'));
  }

  /** The error a call gets now, or undefined while the connection is usable. */
  #refusal(): Error | undefined {
    if (this.#failure !== undefined) {
      return new MemoryHostUnreachableError(this.socketPath, this.#failure, this.#socketError);
    }
    if (this.#closedByUs) return new ClosedError('MemoryHostConnection');
    return undefined;
  }

  #requireWelcome(): MemoryHostWelcome {
    if (this.#welcome === undefined) throw new Error('the memory host handshake is not done');
    return this.#welcome;
  }
}

/** An error rebuilt from the host's record: class name, message, code, retryable, details. */
function errorFromWire(record: ErrorRecord): Error {
  const error = errorFromRecord(record) as Error & { details?: Record<string, unknown> };
  if (record.details !== undefined) error.details = record.details;
  return error;
}

function connectSocket(socketPath: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    socket.once('connect', () => resolve(socket));
    // Left attached: a later error lands on a settled promise, and the connection adds
    // its own listener, so none goes unhandled in between.
    socket.once('error', (error) =>
      reject(new MemoryHostUnreachableError(socketPath, error.message, error)),
    );
  });
}
