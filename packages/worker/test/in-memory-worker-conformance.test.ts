// The worker conformance suite against the in-memory adapters. Adapters opened on one
// namespace share one set of states, as two processes on one memory:// URL would.
import {
  InMemoryBroker,
  InMemoryBrokerState,
  InMemoryEventBus,
  InMemoryEventBusState,
  InMemoryRateLimiter,
  InMemoryRateLimiterState,
  InMemoryResultBackend,
  InMemoryResultBackendState,
  InMemoryRevocationStore,
  InMemoryRevocationStoreState,
} from '@stem/core';
import { describeWorkerConformance } from '@stem/testing';
import { Worker } from '@stem/worker';

interface NamespaceStates {
  broker: InMemoryBrokerState;
  results: InMemoryResultBackendState;
  events: InMemoryEventBusState;
  revocations: InMemoryRevocationStoreState;
  rateLimits: InMemoryRateLimiterState;
}

const states = new Map<string, NamespaceStates>();

function statesFor(namespace: string): NamespaceStates {
  let found = states.get(namespace);
  if (found === undefined) {
    found = {
      broker: new InMemoryBrokerState(),
      results: new InMemoryResultBackendState(),
      events: new InMemoryEventBusState(),
      revocations: new InMemoryRevocationStoreState(),
      rateLimits: new InMemoryRateLimiterState(),
    };
    states.set(namespace, found);
  }
  return found;
}

describeWorkerConformance({
  name: 'in-memory',
  openAdapters: (namespace) => {
    const shared = statesFor(namespace);
    const broker = new InMemoryBroker({ state: shared.broker });
    const resultBackend = new InMemoryResultBackend({ state: shared.results });
    const eventBus = new InMemoryEventBus({ state: shared.events });
    const revocationStore = new InMemoryRevocationStore({ state: shared.revocations });
    const rateLimiter = new InMemoryRateLimiter({ state: shared.rateLimits });
    return {
      broker,
      resultBackend,
      eventBus,
      revocationStore,
      rateLimiter,
      async close() {
        await Promise.all([
          broker.close(),
          resultBackend.close(),
          eventBus.close(),
          revocationStore.close(),
          rateLimiter.close(),
        ]);
      },
    };
  },
  createWorker: (options) => new Worker(options),
});
