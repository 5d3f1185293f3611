// The broker conformance suite against the embedded broker. Brokers opened on one
// namespace share one state, as two processes on one memory:// URL would.
import { IN_MEMORY_BROKER_CAPABILITIES, InMemoryBroker, InMemoryBrokerState } from '@stem/core';
import { describeBrokerConformance } from '@stem/testing';

const states = new Map<string, InMemoryBrokerState>();

function stateFor(namespace: string): InMemoryBrokerState {
  let state = states.get(namespace);
  if (state === undefined) {
    state = new InMemoryBrokerState();
    states.set(namespace, state);
  }
  return state;
}

describeBrokerConformance({
  name: 'InMemoryBroker',
  open: (namespace) => new InMemoryBroker({ state: stateFor(namespace) }),
  capabilities: IN_MEMORY_BROKER_CAPABILITIES,
});
