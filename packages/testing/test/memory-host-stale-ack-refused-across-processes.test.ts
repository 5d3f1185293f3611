// Fencing across the socket: a worker process whose lease ran out while someone else
// took the message must have its extendLease and ack refused with LEASE_LOST (code and
// retryable flag rebuilt in that process), and the new holder's ack must still work.
import { createEnvelope, type Delivery } from '@stem/core';
import {
  connectMemoryHost,
  eventually,
  type ManagedProcess,
  MemoryAdapterHost,
  type MemoryHostAdapters,
} from '@stem/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { fixturePath, linesStartingWith, startTypeScriptChild } from './support/memory-host-child';

const LEASE_MS = 300;

let host: MemoryAdapterHost | undefined;
let client: MemoryHostAdapters | undefined;
let child: ManagedProcess | undefined;

afterEach(async () => {
  child?.signal('SIGKILL');
  await child?.exited;
  await client?.close();
  await host?.close();
  child = undefined;
  client = undefined;
  host = undefined;
});

describe('a late ack from another process', () => {
  it('is refused with LEASE_LOST and leaves the new holder its message', async () => {
    host = await MemoryAdapterHost.start();
    client = await connectMemoryHost(host.socketPath);
    const queue = 'stale.orders';
    await client.broker.publish(createEnvelope({ task: 'stale.probe', args: null, queue }));

    child = await startTypeScriptChild('late-acker', fixturePath('memory-host-late-acker.ts'), [
      host.socketPath,
      queue,
      String(LEASE_MS),
    ]);
    await child.waitForOutput(/held \S+ \d+\n/);
    const [, messageId, leaseExpiresAt] = (linesStartingWith(child, 'held ')[0] ?? '').split(' ');

    const taken: Delivery[] = [];
    await client.broker.consume({ queue, prefetch: 1, leaseMs: 10_000 }, (delivery) => {
      taken.push(delivery);
    });
    await eventually('the expired message to reach the test process', () => taken.length === 1);
    const current = taken[0] as Delivery;
    expect(current.messageId).toBe(messageId);
    expect(current.deliveryCount).toBe(2);
    expect(Date.now()).toBeGreaterThanOrEqual(Number(leaseExpiresAt));

    child.signal('SIGUSR2');
    await child.waitForOutput(/ack .+\n/);
    expect(linesStartingWith(child, 'extendLease ')).toEqual([
      'extendLease refused LEASE_LOST retryable=false',
    ]);
    expect(linesStartingWith(child, 'ack ')).toEqual(['ack refused LEASE_LOST retryable=false']);

    await client.broker.ack(current);
    const stats = await client.broker.stats(queue);
    expect([stats.ready, stats.delayed, stats.inFlight, stats.dead]).toEqual([0, 0, 0, 0]);
    expect(taken).toHaveLength(1);
  });
});
