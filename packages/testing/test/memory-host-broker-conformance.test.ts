// The broker conformance suite against RemoteBroker: every instance a case opens is its
// own socket to one host, as each would be a separate worker process.
import { IN_MEMORY_BROKER_CAPABILITIES } from '@stem/core';
import { describeBrokerConformance, MemoryAdapterHost, RemoteBroker } from '@stem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let host: MemoryAdapterHost | undefined;

beforeAll(async () => {
  host = await MemoryAdapterHost.start();
});

afterAll(async () => {
  await host?.close();
});

function socketPath(): string {
  if (host === undefined) throw new Error('the memory host did not start');
  return host.socketPath;
}

describeBrokerConformance({
  name: 'RemoteBroker (memory host)',
  open: (namespace) => RemoteBroker.connect(socketPath(), { namespace }),
  capabilities: IN_MEMORY_BROKER_CAPABILITIES,
});

describe('RemoteBroker capabilities', () => {
  it("are the host's InMemoryBroker capabilities, envelope limit included", async () => {
    const small = await MemoryAdapterHost.start({ maxEnvelopeBytes: 4_096 });
    try {
      const broker = await RemoteBroker.connect(small.socketPath);
      expect(broker.capabilities).toEqual({
        ...IN_MEMORY_BROKER_CAPABILITIES,
        maxEnvelopeBytes: 4_096,
      });
      await broker.close();
    } finally {
      await small.close();
    }
  });
});
