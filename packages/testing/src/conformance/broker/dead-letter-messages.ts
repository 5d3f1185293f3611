/** Setup shared by the dead-letter cases: publish messages and dead-letter each in order. */
import assert from 'node:assert/strict';
import type { Broker, DeadLetterReason, Envelope } from '@stem/core';
import { conformanceEnvelope } from './conformance-envelope';
import { DeliveryLog } from './delivery-log';

/**
 * Publishes `count` messages (args 0..count-1) and dead-letters them one at a time in
 * delivery order with reason REJECTED. Resolves to the published envelopes.
 */
export async function deadLetterMessages(
  broker: Broker,
  queue: string,
  count: number,
): Promise<Envelope[]> {
  const envelopes = Array.from({ length: count }, (_, index) =>
    conformanceEnvelope(queue, { args: index }),
  );
  for (const envelope of envelopes) await broker.publish(envelope);
  const log = new DeliveryLog();
  const subscription = await broker.consume({ queue, prefetch: 1, leaseMs: 20_000 }, log.handler);
  for (let index = 0; index < count; index += 1) {
    await log.waitForCount(index + 1, `message ${index} to dead-letter`);
    const reason: DeadLetterReason = { code: 'REJECTED', message: `rejected #${index}` };
    await broker.deadLetter(log.delivery(index), reason);
  }
  await subscription.cancel();
  assert.equal(log.count, count, 'each message was delivered once before dying');
  return envelopes;
}
