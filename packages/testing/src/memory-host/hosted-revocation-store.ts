/** The host side of one RemoteRevocationStore: an InMemoryRevocationStore on the shared state. */
import type { InMemoryRevocationStore, Revocation } from '@stem/core';
import { type HostedAdapter, unknownOperation } from './hosted-adapter';

export class HostedRevocationStore implements HostedAdapter {
  readonly #store: InMemoryRevocationStore;

  constructor(store: InMemoryRevocationStore) {
    this.#store = store;
  }

  async call(operation: string, args: readonly unknown[]): Promise<unknown> {
    switch (operation) {
      case 'revoke':
        return this.#store.revoke(args[0] as Revocation);
      case 'get':
        return this.#store.get(args[0] as string);
      case 'list':
        return this.#store.list();
      default:
        throw unknownOperation('revocations', operation);
    }
  }

  async close(): Promise<void> {
    await this.#store.close();
  }
}
