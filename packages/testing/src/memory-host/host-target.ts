/**
 * What every Remote* adapter shares: its target id on the connection, whether it owns
 * the connection, and the closing protocol (detach locally, tell the host, close the
 * connection if this adapter opened it; idempotent; later calls refused with CLOSED; a
 * host that is already gone is not an error). Runs on the client's main thread.
 */
import { ClosedError } from '@stem/core';
import { isGoneError } from './is-gone-error';
import type { MemoryHostConnection } from './memory-host-connection';

export class HostTarget {
  readonly connection: MemoryHostConnection;
  readonly #target: number;
  /** Method prefix on the host, e.g. `broker` for `broker.publish`. */
  readonly #prefix: string;
  /** Adapter name shown in CLOSED errors. */
  readonly #what: string;
  #ownsConnection = false;
  #closing: Promise<void> | undefined;

  constructor(connection: MemoryHostConnection, prefix: string, what: string) {
    this.connection = connection;
    this.#target = connection.newTarget();
    this.#prefix = prefix;
    this.#what = what;
  }

  /** Marks the connection as this adapter's own: `close` closes it too. */
  ownConnection(): void {
    this.#ownsConnection = true;
  }

  call(operation: string, args: unknown[]): Promise<unknown> {
    return this.connection.request(`${this.#prefix}.${operation}`, this.#target, args);
  }

  /** Sends without waiting for the answer (see MemoryHostConnection.send). */
  send(operation: string, args: unknown[]): ReturnType<MemoryHostConnection['send']> {
    return this.connection.send(`${this.#prefix}.${operation}`, this.#target, args);
  }

  /** Like `call`, but a host that is already gone counts as done. */
  async callUnlessGone(operation: string, args: unknown[]): Promise<void> {
    try {
      await this.call(operation, args);
    } catch (error) {
      if (!isGoneError(error)) throw error;
    }
  }

  assertOpen(): void {
    if (this.#closing !== undefined) throw new ClosedError(this.#what);
  }

  /** Runs `detach` (local clean-up), then detaches on the host. Idempotent. */
  close(detach: () => void = () => undefined): Promise<void> {
    this.#closing ??= (async () => {
      detach();
      try {
        await this.callUnlessGone('close', []);
      } finally {
        if (this.#ownsConnection) await this.connection.close();
      }
    })();
    return this.#closing;
  }
}
