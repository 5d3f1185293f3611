// What the embedded broker promises beyond the shared broker conformance suite: how it
// calls handlers, what it validates, how instances share state, and that its timers
// never keep a process alive.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  createEnvelope,
  type Delivery,
  type Envelope,
  hasErrorCode,
  IN_MEMORY_BROKER_CAPABILITIES,
  InMemoryBroker,
  InMemoryBrokerState,
  type StemErrorCode,
} from '@stem/core';
import { eventually } from '@stem/testing';
import { afterEach, describe, it } from 'vitest';

const opened: InMemoryBroker[] = [];

function openBroker(options: ConstructorParameters<typeof InMemoryBroker>[0] = {}) {
  const broker = new InMemoryBroker(options);
  opened.push(broker);
  return broker;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((broker) => broker.close()));
});

function envelope(queue: string, input: Partial<Envelope> = {}): Envelope {
  return { ...createEnvelope({ task: 'unit.probe', args: null, queue }), ...input };
}

function collect(): { deliveries: Delivery[]; handler: (delivery: Delivery) => void } {
  const deliveries: Delivery[] = [];
  return { deliveries, handler: (delivery) => deliveries.push(delivery) };
}

async function rejectsWithCode(promise: Promise<unknown>, code: StemErrorCode): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(hasErrorCode(error, code), `expected ${code}, got ${String(error)}`);
    return true;
  });
}

describe('InMemoryBroker', () => {
  it('declares its capabilities once, frozen, with the envelope limit it was given', () => {
    assert.ok(Object.isFrozen(IN_MEMORY_BROKER_CAPABILITIES));
    assert.deepEqual(IN_MEMORY_BROKER_CAPABILITIES, {
      adapter: 'memory',
      delayedDelivery: { native: true, maxDelayMs: null },
      maxLeaseMs: 12 * 60 * 60 * 1000,
      maxEnvelopeBytes: 1_048_576,
      priorityLevels: 10,
      countsDeliveriesNatively: true,
      ordering: 'fifo',
    });
    assert.equal(openBroker({ maxEnvelopeBytes: 2_048 }).capabilities.maxEnvelopeBytes, 2_048);
    assert.throws(() => new InMemoryBroker({ maxEnvelopeBytes: 0 }), RangeError);
  });

  it('calls handlers from a microtask, never on the stack of publish', async () => {
    const broker = openBroker();
    let insidePublish = false;
    const calledInside: boolean[] = [];
    await broker.consume({ queue: 'q', prefetch: 5 }, () => calledInside.push(insidePublish));
    insidePublish = true;
    const published = broker.publish(envelope('q'));
    insidePublish = false;
    await published;
    await eventually('the delivery', () => calledInside.length === 1);
    assert.deepEqual(calledInside, [false]);
  });

  it('reports a throwing handler as a warning and redelivers after the lease', async () => {
    const broker = openBroker();
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      let calls = 0;
      await broker.consume({ queue: 'q', prefetch: 1, leaseMs: 150 }, (delivery) => {
        calls += 1;
        if (calls === 1) throw new Error('handler bug');
        void broker.ack(delivery);
      });
      await broker.publish(envelope('q'));
      await eventually('the redelivery', () => calls === 2);
      await eventually('the warning', () => warnings.length > 0);
      assert.match(warnings[0] ?? '', /handler bug/);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('refuses a prefetch, lease or delivery limit that is not a positive integer', async () => {
    const broker = openBroker();
    const noop = () => undefined;
    await assert.rejects(broker.consume({ queue: 'q', prefetch: 0 }, noop), RangeError);
    await assert.rejects(broker.consume({ queue: 'q', prefetch: 1.5 }, noop), RangeError);
    await assert.rejects(broker.consume({ queue: 'q', prefetch: 1, leaseMs: 0 }, noop), RangeError);
    await assert.rejects(
      broker.consume({ queue: 'q', prefetch: 1, deliveryLimit: -1 }, noop),
      RangeError,
    );
  });

  it('refuses an invalid envelope with ENVELOPE_INVALID and stores nothing', async () => {
    const broker = openBroker();
    await rejectsWithCode(broker.publish(envelope('q', { priority: 12 })), 'ENVELOPE_INVALID');
    await rejectsWithCode(broker.publish(envelope('q', { attempt: 0 })), 'ENVELOPE_INVALID');
    assert.equal((await broker.stats('q')).ready, 0);
  });

  it('refuses a nack that would move the message to another queue, keeping the lease', async () => {
    const broker = openBroker();
    const { deliveries, handler } = collect();
    await broker.consume({ queue: 'q', prefetch: 1 }, handler);
    await broker.publish(envelope('q'));
    await eventually('the delivery', () => deliveries.length === 1);
    const delivery = deliveries[0]!;
    await rejectsWithCode(
      broker.nack(delivery, { envelope: { ...delivery.envelope, queue: 'elsewhere' } }),
      'ENVELOPE_INVALID',
    );
    await broker.ack(delivery);
  });

  it("holds a nacked replacement until its own notBeforeAt, not just the nack's delay", async () => {
    const broker = openBroker();
    const { deliveries, handler } = collect();
    await broker.consume({ queue: 'q', prefetch: 1 }, handler);
    await broker.publish(envelope('q'));
    await eventually('the delivery', () => deliveries.length === 1);
    const first = deliveries[0]!;
    const notBeforeAt = Date.now() + 300;
    await broker.nack(first, { envelope: { ...first.envelope, attempt: 2, notBeforeAt } });
    assert.equal((await broker.stats('q')).delayed, 1);
    await eventually('the retry', () => deliveries.length === 2);
    assert.ok(Date.now() >= notBeforeAt, 'not delivered before the retry was due');
  });

  it('shares queues between instances on one state, and only there', async () => {
    const state = new InMemoryBrokerState();
    const producer = openBroker({ state });
    const consumer = openBroker({ state });
    const stranger = openBroker();
    await producer.publish(envelope('shared'));
    assert.equal((await consumer.stats('shared')).ready, 1);
    assert.equal((await stranger.stats('shared')).ready, 0);
    await producer.close();
    const { deliveries, handler } = collect();
    await consumer.consume({ queue: 'shared', prefetch: 1 }, handler);
    await eventually('the delivery in the other instance', () => deliveries.length === 1);
  });

  it('keeps a dead-letter cursor valid when entries are removed, and refuses a bad one', async () => {
    const broker = openBroker();
    const { deliveries, handler } = collect();
    await broker.consume({ queue: 'q', prefetch: 10 }, handler);
    for (let index = 0; index < 4; index += 1) await broker.publish(envelope('q', { args: index }));
    await eventually('four deliveries', () => deliveries.length === 4);
    for (const delivery of deliveries) {
      await broker.deadLetter(delivery, { code: 'REJECTED', message: 'unit' });
    }
    const firstPage = await broker.listDeadLetters({ queue: 'q', limit: 2 });
    assert.ok(firstPage.nextCursor !== undefined);
    assert.equal(await broker.purgeDeadLetters({ queue: 'q', ids: [firstPage.entries[1]!.id] }), 1);
    const secondPage = await broker.listDeadLetters({ queue: 'q', cursor: firstPage.nextCursor });
    assert.deepEqual(
      secondPage.entries.map((entry) => entry.envelope.args),
      [2, 3],
    );
    await rejectsWithCode(broker.listDeadLetters({ queue: 'q', cursor: 'nope' }), 'NOT_FOUND');
  });

  it('never keeps a process alive with its delay and lease timers', async () => {
    const source = fileURLToPath(new URL('../src/broker/in-memory-broker.ts', import.meta.url));
    const script = `
      import { InMemoryBroker } from ${JSON.stringify(source)};
      const broker = new InMemoryBroker();
      const base = { v: 1, task: 't', args: null, queue: 'q', priority: 0, attempt: 1,
        maxRetries: 0, createdAt: Date.now(), headers: {} };
      await broker.publish({ ...base, id: 'later', notBeforeAt: Date.now() + 60_000 });
      await broker.publish({ ...base, id: 'now' });
      await broker.consume({ queue: 'q', prefetch: 1, leaseMs: 60_000 }, (delivery) =>
        console.log('leased', delivery.envelope.id));
    `;
    const startedAt = Date.now();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { timeout: 15_000 },
    );
    assert.equal(stdout.trim(), 'leased now');
    assert.ok(Date.now() - startedAt < 15_000, 'the process exited without waiting for timers');
  }, 20_000);

  it('refuses every call after close with CLOSED', async () => {
    const broker = openBroker();
    await broker.close();
    await rejectsWithCode(broker.publish(envelope('q')), 'CLOSED');
    await rejectsWithCode(broker.listDeadLetters({ queue: 'q' }), 'CLOSED');
    await rejectsWithCode(broker.purge('q'), 'CLOSED');
  });
});
