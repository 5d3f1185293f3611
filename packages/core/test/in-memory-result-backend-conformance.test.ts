import { InMemoryResultBackend, InMemoryResultBackendState } from '@stem/core';
import { describeResultBackendConformance } from '@stem/testing';

// One state per namespace: instances opened in a case share it like processes on one server.
const states = new Map<string, InMemoryResultBackendState>();
function stateFor(namespace: string): InMemoryResultBackendState {
  let state = states.get(namespace);
  if (state === undefined) {
    state = new InMemoryResultBackendState();
    states.set(namespace, state);
  }
  return state;
}

describeResultBackendConformance({
  name: 'InMemoryResultBackend',
  open: (namespace) => new InMemoryResultBackend({ state: stateFor(namespace) }),
});
