import { InMemoryLockStore, InMemoryLockStoreState } from '@stem/core';
import { describeLockStoreConformance } from '@stem/testing';

// One state per namespace: instances opened in a case share it like processes on one server.
const states = new Map<string, InMemoryLockStoreState>();
function stateFor(namespace: string): InMemoryLockStoreState {
  let state = states.get(namespace);
  if (state === undefined) {
    state = new InMemoryLockStoreState();
    states.set(namespace, state);
  }
  return state;
}

describeLockStoreConformance({
  name: 'InMemoryLockStore',
  open: (namespace) => new InMemoryLockStore({ state: stateFor(namespace) }),
});
