import { InMemoryScheduleStore, InMemoryScheduleStoreState } from '@stem/core';
import { describeScheduleStoreConformance } from '@stem/testing';

// One state per namespace: instances opened in a case share it like processes on one server.
const states = new Map<string, InMemoryScheduleStoreState>();
function stateFor(namespace: string): InMemoryScheduleStoreState {
  let state = states.get(namespace);
  if (state === undefined) {
    state = new InMemoryScheduleStoreState();
    states.set(namespace, state);
  }
  return state;
}

describeScheduleStoreConformance({
  name: 'InMemoryScheduleStore',
  open: (namespace) => new InMemoryScheduleStore({ state: stateFor(namespace) }),
});
