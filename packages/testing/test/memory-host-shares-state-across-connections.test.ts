// Clients of one namespace share everything, like processes on one server; clients of
// different namespaces share nothing; adapters built in the host's process on
// `host.states(namespace)` see what remote clients do. Errors keep code and details.
import {
  createEnvelope,
  type Delivery,
  hasErrorCode,
  InMemoryBroker,
  type StemEvent,
} from '@stem/core';
import {
  connectMemoryHost,
  eventually,
  MemoryAdapterHost,
  type MemoryHostAdapters,
  sleep,
} from '@stem/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let host: MemoryAdapterHost;
const clients: MemoryHostAdapters[] = [];

beforeEach(async () => {
  host = await MemoryAdapterHost.start();
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await host.close();
});

async function connect(namespace?: string): Promise<MemoryHostAdapters> {
  const client = await connectMemoryHost(
    host.socketPath,
    namespace === undefined ? {} : { namespace },
  );
  clients.push(client);
  return client;
}

function lifecycleEvent(
  taskId: string,
  type: 'task.received' | 'task.started' = 'task.started',
): StemEvent {
  return {
    type,
    at: Date.now(),
    taskId,
    taskName: 'share.probe',
    queue: 'share',
    attempt: 1,
  };
}

describe('memory host state', () => {
  it('reaches every client of a namespace: revocations, events, results', async () => {
    const one = await connect();
    const two = await connect();

    const revocation = {
      taskId: 't-1',
      reason: 'test',
      terminate: true,
      revokedAt: Date.now(),
      expiresAt: Date.now() + 60_000,
    };
    await one.revocationStore.revoke(revocation);
    expect(await two.revocationStore.get('t-1')).toEqual(revocation);
    expect(await two.revocationStore.list()).toEqual([revocation]);
    expect(await two.revocationStore.get('t-2')).toBeUndefined();

    const seen: StemEvent[] = [];
    const unsubscribe = await two.eventBus.subscribe((event) => seen.push(event), ['task.started']);
    await one.eventBus.publish(lifecycleEvent('t-1', 'task.received'));
    await one.eventBus.publish(lifecycleEvent('t-1'));
    await eventually('the started event to reach the other client', () => seen.length === 1);
    expect(seen[0]).toMatchObject({ type: 'task.started', taskId: 't-1' });
    await unsubscribe();
    await one.eventBus.publish(lifecycleEvent('t-2'));
    await sleep(50);
    expect(seen).toHaveLength(1);

    const waiting = two.resultBackend.waitFor('t-1', { timeoutMs: 5_000 });
    await sleep(20);
    const record = {
      taskId: 't-1',
      status: 'SUCCESS' as const,
      payload: 42,
      meta: { taskName: 'share.probe', attempt: 1 },
      updatedAt: Date.now(),
    };
    await one.resultBackend.set(record);
    expect(await waiting).toEqual(record);
  });

  it('keeps namespaces apart and shares a namespace with in-process adapters', async () => {
    const left = await connect('left');
    const right = await connect('right');
    const queue = 'share.orders';
    const envelope = createEnvelope({ task: 'share.probe', args: 'left only', queue });
    await left.broker.publish(envelope);
    expect((await right.broker.stats(queue)).ready).toBe(0);
    expect((await left.broker.stats(queue)).ready).toBe(1);

    const local = new InMemoryBroker({ state: host.states('left').broker });
    const taken: Delivery[] = [];
    await local.consume({ queue, prefetch: 1, leaseMs: 10_000 }, (delivery) => {
      taken.push(delivery);
    });
    await eventually('the in-process consumer to get the remote message', () => taken.length === 1);
    expect(taken[0]?.envelope).toEqual(envelope);
    // Settled across the boundary the other way: the remote client acks the local lease.
    await left.broker.ack(taken[0] as Delivery);
    expect((await left.broker.stats(queue)).inFlight).toBe(0);
    await local.close();
  });

  it('rebuilds host errors with their code, retryable flag and details', async () => {
    const small = await MemoryAdapterHost.start({ maxEnvelopeBytes: 512 });
    try {
      const client = await connectMemoryHost(small.socketPath);
      clients.push(client);
      const big = createEnvelope({ task: 'share.probe', args: 'x'.repeat(1_000), queue: 'q' });
      const error = await client.broker.publish(big).catch((failure: unknown) => failure);
      expect(hasErrorCode(error, 'PAYLOAD_TOO_LARGE')).toBe(true);
      expect(error).toMatchObject({
        name: 'PayloadTooLargeError',
        retryable: false,
        details: { maxBytes: 512 },
      });
      const missing = await client.resultBackend
        .updateMeta('nobody', { attempt: 2 })
        .catch((failure: unknown) => failure);
      expect(missing).toMatchObject({ code: 'NOT_FOUND', retryable: false });
    } finally {
      await small.close();
    }
  });
});
