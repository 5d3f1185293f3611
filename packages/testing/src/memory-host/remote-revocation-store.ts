/** A RevocationStore whose revocations live in a MemoryAdapterHost. Runs on the client's main thread. */
import type { Revocation, RevocationStore } from '@stem/core';
import { HostTarget } from './host-target';
import { MemoryHostConnection, type MemoryHostConnectOptions } from './memory-host-connection';

export class RemoteRevocationStore implements RevocationStore {
  readonly #host: HostTarget;

  /** An instance on a connection someone else owns (and closes). */
  constructor(connection: MemoryHostConnection) {
    this.#host = new HostTarget(connection, 'revocations', 'RemoteRevocationStore');
  }

  /** An instance on its own new connection, which its `close` closes. */
  static async connect(
    socketPath: string,
    options: MemoryHostConnectOptions = {},
  ): Promise<RemoteRevocationStore> {
    const store = new RemoteRevocationStore(await MemoryHostConnection.open(socketPath, options));
    store.#host.ownConnection();
    return store;
  }

  async revoke(revocation: Revocation): Promise<void> {
    this.#host.assertOpen();
    await this.#host.call('revoke', [revocation]);
  }

  async get(taskId: string): Promise<Revocation | undefined> {
    this.#host.assertOpen();
    return ((await this.#host.call('get', [taskId])) ?? undefined) as Revocation | undefined;
  }

  async list(): Promise<Revocation[]> {
    this.#host.assertOpen();
    return (await this.#host.call('list', [])) as Revocation[];
  }

  /** Detaches this instance (the shared revocations stay). Idempotent. */
  close(): Promise<void> {
    return this.#host.close();
  }
}
