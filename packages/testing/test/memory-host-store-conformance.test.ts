// The result-backend and rate-limiter conformance suites against the Remote adapters.
// Instances a case opens share one socket per namespace, as several adapters of one
// process do through connectMemoryHost, so targets multiplexed on a socket are covered.
import {
  describeRateLimiterConformance,
  describeResultBackendConformance,
  MemoryAdapterHost,
  MemoryHostConnection,
  RemoteRateLimiter,
  RemoteResultBackend,
} from '@stem/testing';
import { afterAll, beforeAll } from 'vitest';

let host: MemoryAdapterHost | undefined;
const connections = new Map<string, Promise<MemoryHostConnection>>();

beforeAll(async () => {
  host = await MemoryAdapterHost.start();
});

afterAll(async () => {
  for (const connection of connections.values()) await (await connection).close();
  await host?.close();
});

function connectionFor(namespace: string): Promise<MemoryHostConnection> {
  let connection = connections.get(namespace);
  if (connection === undefined) {
    if (host === undefined) throw new Error('the memory host did not start');
    connection = MemoryHostConnection.open(host.socketPath, { namespace });
    connections.set(namespace, connection);
  }
  return connection;
}

describeResultBackendConformance({
  name: 'RemoteResultBackend (memory host)',
  open: async (namespace) => new RemoteResultBackend(await connectionFor(namespace)),
});

describeRateLimiterConformance({
  name: 'RemoteRateLimiter (memory host)',
  open: async (namespace) => new RemoteRateLimiter(await connectionFor(namespace)),
});
