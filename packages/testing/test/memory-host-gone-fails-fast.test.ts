// A client whose host goes away (SIGKILLed host process, or a host closed in this
// process) must fail every call in flight and every later call with CONNECTION_FAILED,
// retryable, rather than hang; closing such a client still succeeds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnvelope, type Delivery, hasErrorCode } from '@stem/core';
import {
  connectMemoryHost,
  eventually,
  type ManagedProcess,
  MemoryAdapterHost,
  type MemoryHostAdapters,
  RemoteBroker,
  sleep,
} from '@stem/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { hostMainPath, startTypeScriptChild } from './support/memory-host-child';

/** Far longer than a failure takes to surface; a call still pending by then hangs. */
const HANG_MS = 3_000;

let directory: string | undefined;
let hostProcess: ManagedProcess | undefined;
const clients: MemoryHostAdapters[] = [];

afterEach(async () => {
  hostProcess?.signal('SIGKILL');
  await hostProcess?.exited;
  hostProcess = undefined;
  for (const client of clients.splice(0)) await client.close();
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  directory = undefined;
});

/** What `promise` settles to, or 'hung' if it is still pending after HANG_MS. */
async function outcome(promise: Promise<unknown>): Promise<unknown> {
  const settled = promise.then(
    () => 'resolved',
    (error: unknown) => error,
  );
  return Promise.race([settled, sleep(HANG_MS).then(() => 'hung')]);
}

function expectConnectionFailed(error: unknown): void {
  expect(hasErrorCode(error, 'CONNECTION_FAILED'), `got ${String(error)}`).toBe(true);
  expect((error as { retryable?: unknown }).retryable).toBe(true);
}

describe('a host that goes away', () => {
  it('fails calls in flight and later calls with CONNECTION_FAILED when its process is SIGKILLed', async () => {
    directory = mkdtempSync(join(tmpdir(), 'stem-host-gone-'));
    const socketPath = join(directory, 'host.sock');
    hostProcess = await startTypeScriptChild('memory-host', hostMainPath, [socketPath]);
    await hostProcess.waitForOutput(`listening ${socketPath}\n`);

    // Two clients of the child host share its queues, as two workers would.
    const producer = await connectMemoryHost(socketPath);
    const consumer = await connectMemoryHost(socketPath);
    clients.push(producer, consumer);
    const queue = 'gone.orders';
    const held: Delivery[] = [];
    await consumer.broker.consume({ queue, prefetch: 1, leaseMs: 10_000 }, (delivery) => {
      held.push(delivery);
    });
    await producer.broker.publish(createEnvelope({ task: 'gone.probe', args: null, queue }));
    await eventually('the delivery through the child host', () => held.length === 1);
    const waiting = outcome(consumer.resultBackend.waitFor('never-finishes'));

    hostProcess.signal('SIGKILL', { expectExit: true });
    await hostProcess.exited;

    expectConnectionFailed(await waiting);
    expectConnectionFailed(await outcome(consumer.broker.ack(held[0] as Delivery)));
    expectConnectionFailed(
      await outcome(
        producer.broker.publish(createEnvelope({ task: 'gone.probe', args: null, queue })),
      ),
    );
    expectConnectionFailed(await outcome(producer.revocationStore.list()));
    // The dead host left its socket file behind: nobody listens there any more.
    expectConnectionFailed(await outcome(connectMemoryHost(socketPath)));
    expect(await outcome(consumer.close())).toBe('resolved');
  });

  it('fails a pending waitFor with CONNECTION_FAILED when an in-process host closes', async () => {
    const host = await MemoryAdapterHost.start();
    const client = await connectMemoryHost(host.socketPath);
    clients.push(client);
    const waiting = outcome(client.resultBackend.waitFor('never-finishes'));
    await sleep(20);
    await host.close();
    expectConnectionFailed(await waiting);
    expectConnectionFailed(
      await outcome(client.rateLimiter.acquire('k', { limit: 1, periodMs: 1_000 })),
    );
  });

  it('refuses to connect where no host listens, with CONNECTION_FAILED', async () => {
    const missing = join(tmpdir(), `stem-no-host-${process.pid}-${Date.now()}.sock`);
    expectConnectionFailed(await outcome(RemoteBroker.connect(missing)));
  });
});
