// A worker process SIGKILLed while holding deliveries: the host must treat its closed
// socket as a crash. Nothing it held is settled; every message comes back once its
// lease ends, counted, and the host forgets the dead client's waiters and subscribers.
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

const HELD = 5;
const LEASE_MS = 500;

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

describe('a client process killed while holding deliveries', () => {
  it('loses every lease: all held messages are redelivered after the lease, counted twice', async () => {
    host = await MemoryAdapterHost.start();
    client = await connectMemoryHost(host.socketPath);
    const queue = 'crash.orders';
    const published = new Set<string>();
    for (let index = 0; index < HELD; index += 1) {
      const envelope = createEnvelope({ task: 'crash.probe', args: index, queue });
      await client.broker.publish(envelope);
      published.add(envelope.id);
    }

    child = await startTypeScriptChild('holder', fixturePath('memory-host-holding-consumer.ts'), [
      host.socketPath,
      queue,
      String(HELD),
      String(LEASE_MS),
    ]);
    await child.waitForOutput(`holding ${HELD}\n`);
    const held = new Map(
      linesStartingWith(child, 'held ').map((line) => {
        const [, messageId, leaseExpiresAt, deliveryCount] = line.split(' ');
        expect(deliveryCount).toBe('1');
        return [messageId ?? '', Number(leaseExpiresAt)] as const;
      }),
    );
    expect(held.size).toBe(HELD);
    const states = host.states();
    expect(states.eventBus.subscriptions.size).toBe(1);
    expect(states.resultBackend.terminalListeners.has('never-finishes')).toBe(true);

    const redelivered: Array<{ delivery: Delivery; receivedAt: number }> = [];
    await client.broker.consume({ queue, prefetch: HELD * 2, leaseMs: 10_000 }, (delivery) => {
      redelivered.push({ delivery, receivedAt: Date.now() });
    });
    child.signal('SIGKILL', { expectExit: true });
    expect((await child.exited).signal).toBe('SIGKILL');

    await eventually('the host to notice the dead client', () => host?.connectionCount === 1);
    expect(states.eventBus.subscriptions.size).toBe(0);
    expect(states.resultBackend.terminalListeners.has('never-finishes')).toBe(false);

    await eventually(
      'every held message to come back',
      () => redelivered.length >= HELD,
      LEASE_MS + 3_000,
    );
    expect(redelivered).toHaveLength(HELD);
    for (const { delivery, receivedAt } of redelivered) {
      const leaseExpiresAt = held.get(delivery.messageId);
      expect(leaseExpiresAt, `redelivered ${delivery.messageId} was not held`).toBeDefined();
      expect(receivedAt).toBeGreaterThanOrEqual(leaseExpiresAt ?? Number.POSITIVE_INFINITY);
      expect(delivery.deliveryCount).toBe(2);
      expect(published.has(delivery.envelope.id)).toBe(true);
      await client.broker.ack(delivery);
    }
    expect(await client.broker.stats(queue)).toEqual({
      queue,
      ready: 0,
      delayed: 0,
      inFlight: 0,
      dead: 0,
    });
  });
});
