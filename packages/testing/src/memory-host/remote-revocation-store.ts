/** A RevocationStore whose revocations live in a MemoryAdapterHost. Runs on the client's main thread. */
import { ClosedError, type Revocation, type RevocationStore } from '@stem/core';
import { isGoneError } from './is-gone-error';
import { MemoryHostConnection, type MemoryHostConnectOptions } from './memory-host-connection';

export class RemoteRevocationStore implements RevocationStore {
  readonly #connection: MemoryHostConnection;
  readonly #target: number;
  #ownsConnection = false;
  #closing: Promise<void> | undefined;

  /** An instance on a connection someone else owns (and closes). */
  constructor(connection: MemoryHostConnection) {
    this.#connection = connection;
    this.#target = connection.newTarget();
  }

  /** An instance on its own new connection, which its `close` closes. */
  static async connect(
    socketPath: string,
    options: MemoryHostConnectOptions = {},
  ): Promise<RemoteRevocationStore> {
    const store = new RemoteRevocationStore(await MemoryHostConnection.open(socketPath, options));
    store.#ownsConnection = true;
    return store;
  }

  async revoke(revocation: Revocation): Promise<void> {
    this.#assertOpen();
    await this.#call('revoke', [revocation]);
  }

  async get(taskId: string): Promise<Revocation | undefined> {
    this.#assertOpen();
    return ((await this.#call('get', [taskId])) ?? undefined) as Revocation | undefined;
  }

  async list(): Promise<Revocation[]> {
    this.#assertOpen();
    return (await this.#call('list', [])) as Revocation[];
  }

  /** Detaches this instance (the shared revocations stay). Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    try {
      await this.#call('close', []);
    } catch (error) {
      if (!isGoneError(error)) throw error;
    } finally {
      if (this.#ownsConnection) await this.#connection.close();
    }
  }

  #call(operation: string, args: unknown[]): Promise<unknown> {
    return this.#connection.request(`revocations.${operation}`, this.#target, args);
  }

  #assertOpen(): void {
    if (this.#closing !== undefined) throw new ClosedError('RemoteRevocationStore');
  }
}
