/**
 * Case: consumers in two broker instances (two processes) share one queue without
 * ever holding the same message at once, and every message is acked exactly once.
 */
import assert from 'node:assert/strict';
import type { Broker, Delivery } from '@stem/core';
import { eventually, sleep } from '../conformance-case';
import type { BrokerCase } from './broker-case-context';
import { conformanceEnvelope } from './conformance-envelope';
import { PATIENCE_MS } from './delivery-log';

const MESSAGES = 200;
const CONSUMERS_PER_BROKER = 2;
const PREFETCH = 5;

interface Ledger {
  /** Which consumer holds each message right now. */
  holders: Map<string, string>;
  /** Acks per task id. */
  acked: Map<string, number>;
  problems: string[];
  deliveries: number;
}

export const concurrentConsumersNeverShare: BrokerCase = {
  name: 'concurrent-consumers-never-share',
  promise:
    'several consumers on two broker instances never hold one message at the same time, and every message is acked exactly once',
  timeoutMs: 30_000,
  async run(context) {
    const brokers = [await context.open(), await context.open()];
    const queue = context.queue('shared');
    const ledger: Ledger = { holders: new Map(), acked: new Map(), problems: [], deliveries: 0 };
    for (const [brokerIndex, broker] of brokers.entries()) {
      for (let index = 0; index < CONSUMERS_PER_BROKER; index += 1) {
        const name = `broker${brokerIndex}/consumer${index}`;
        await broker.consume({ queue, prefetch: PREFETCH, leaseMs: 20_000 }, (delivery) =>
          hold(ledger, broker, name, delivery),
        );
      }
    }
    const ids: string[] = [];
    for (let index = 0; index < MESSAGES; index += 1) {
      const envelope = conformanceEnvelope(queue, { args: index });
      ids.push(envelope.id);
      await brokers[index % 2]!.publish(envelope);
    }

    await eventually(
      `all ${MESSAGES} messages acked`,
      () => ledger.acked.size === MESSAGES || ledger.problems.length > 0,
      PATIENCE_MS * 2,
    );
    await sleep(200);
    assert.deepEqual(ledger.problems, [], 'no message was held twice, and every ack succeeded');
    assert.deepEqual([...ledger.acked.keys()].sort(), [...ids].sort(), 'every message was acked');
    const repeated = [...ledger.acked].filter(([, acks]) => acks !== 1);
    assert.deepEqual(repeated, [], 'each message was acked exactly once');
    assert.equal(ledger.deliveries, MESSAGES, 'no message was delivered twice');
    for (const broker of brokers) {
      const stats = await broker.stats(queue);
      assert.equal(stats.ready + stats.inFlight + stats.delayed, 0, 'the queue is drained');
    }
  },
};

function hold(ledger: Ledger, broker: Broker, name: string, delivery: Delivery): void {
  ledger.deliveries += 1;
  const id = delivery.envelope.id;
  const holder = ledger.holders.get(id);
  if (holder !== undefined)
    ledger.problems.push(`${id} delivered to ${name} while ${holder} held it`);
  ledger.holders.set(id, name);
  // Hold the message across a few event-loop turns, as a real task would.
  setTimeout(
    () => {
      broker.ack(delivery).then(
        () => {
          if (ledger.holders.get(id) === name) ledger.holders.delete(id);
          ledger.acked.set(id, (ledger.acked.get(id) ?? 0) + 1);
        },
        (error: unknown) =>
          ledger.problems.push(`ack of ${id} by ${name} failed: ${String(error)}`),
      );
    },
    Math.floor(Math.random() * 5),
  );
}
