import { InMemoryRateLimiter, InMemoryRateLimiterState } from '@stem/core';
import { describeRateLimiterConformance } from '@stem/testing';

// One state per namespace: instances opened in a case share it like processes on one server.
const states = new Map<string, InMemoryRateLimiterState>();
function stateFor(namespace: string): InMemoryRateLimiterState {
  let state = states.get(namespace);
  if (state === undefined) {
    state = new InMemoryRateLimiterState();
    states.set(namespace, state);
  }
  return state;
}

describeRateLimiterConformance({
  name: 'InMemoryRateLimiter',
  open: (namespace) => new InMemoryRateLimiter({ state: stateFor(namespace) }),
});
