/**
 * Runs a MemoryAdapterHost as a process of its own, for tests whose queues must outlive
 * the processes that use them (or that kill the host itself):
 *
 *   node --import tsx packages/testing/src/memory-host/host-main.ts [socketPath]
 *
 * Prints `listening <socketPath>` on stdout once clients can connect; SIGTERM or SIGINT
 * closes it cleanly (its clients then get CONNECTION_FAILED), SIGKILL is a crash.
 * Nothing here runs on import by the package: only this file is the entry point.
 */
import { MemoryAdapterHost } from './memory-adapter-host';

const host = await MemoryAdapterHost.start(
  process.argv[2] === undefined ? {} : { socketPath: process.argv[2] },
);
process.stdout.write(`listening ${host.socketPath}\n`);

const stop = (): void => {
  host.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`memory host failed to close: ${String(error)}\n`);
      process.exit(1);
    },
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
