/**
 * One call that gives a process every adapter a worker or producer needs, all on one
 * socket to a MemoryAdapterHost: what a `memory://` URL gives inside one process, but
 * shared across processes. Runs on the client's main thread.
 */
import { MemoryHostConnection, type MemoryHostConnectOptions } from './memory-host-connection';
import { RemoteBroker } from './remote-broker';
import { RemoteEventBus } from './remote-event-bus';
import { RemoteRateLimiter } from './remote-rate-limiter';
import { RemoteResultBackend } from './remote-result-backend';
import { RemoteRevocationStore } from './remote-revocation-store';

/** The adapters of one connection. Each adapter's `close` detaches only itself. */
export interface MemoryHostAdapters {
  connection: MemoryHostConnection;
  broker: RemoteBroker;
  resultBackend: RemoteResultBackend;
  revocationStore: RemoteRevocationStore;
  eventBus: RemoteEventBus;
  rateLimiter: RemoteRateLimiter;
  /**
   * Closes every adapter, then the socket. A process that exits without calling it is
   * treated by the host like a crashed one (nothing it held is settled).
   */
  close(): Promise<void>;
}

/**
 * Connects to the host listening on `socketPath`. Rejects with CONNECTION_FAILED when
 * none answers there.
 */
export async function connectMemoryHost(
  socketPath: string,
  options: MemoryHostConnectOptions = {},
): Promise<MemoryHostAdapters> {
  const connection = await MemoryHostConnection.open(socketPath, options);
  const adapters = {
    connection,
    broker: new RemoteBroker(connection),
    resultBackend: new RemoteResultBackend(connection),
    revocationStore: new RemoteRevocationStore(connection),
    eventBus: new RemoteEventBus(connection),
    rateLimiter: new RemoteRateLimiter(connection),
  };
  return {
    ...adapters,
    async close() {
      const results = await Promise.allSettled([
        adapters.broker.close(),
        adapters.resultBackend.close(),
        adapters.revocationStore.close(),
        adapters.eventBus.close(),
        adapters.rateLimiter.close(),
      ]);
      await connection.close();
      const failed = results.find((result) => result.status === 'rejected');
      if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
    },
  };
}
