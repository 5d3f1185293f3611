/** Case: an envelope over maxEnvelopeBytes is refused and nothing is stored. */
import assert from 'node:assert/strict';
import type { Envelope } from '@stem/core';
import { sleep } from '../conformance-case';
import { assertRejectsWithCode } from './assert-rejects-with-code';
import type { BrokerCase } from './broker-case-context';
import { conformanceEnvelope } from './conformance-envelope';
import { DeliveryLog } from './delivery-log';

/** How far under the limit the accepted envelope stays, leaving room for encodings. */
const HEADROOM_BYTES = 1_024;

export const oversizedPublishRejected: BrokerCase = {
  name: 'oversized-publish-rejected',
  promise:
    'publishing an envelope over maxEnvelopeBytes fails with PAYLOAD_TOO_LARGE and stores nothing, while one just under the limit is delivered whole',
  async run(context) {
    const broker = await context.open();
    const queue = context.queue('oversized');
    const maxBytes = context.capabilities.maxEnvelopeBytes;

    await assertRejectsWithCode(
      broker.publish(envelopeOfSize(queue, maxBytes + 1)),
      'PAYLOAD_TOO_LARGE',
      `publishing ${maxBytes + 1} bytes`,
    );
    const stats = await broker.stats(queue);
    assert.deepEqual(
      [stats.ready, stats.delayed, stats.inFlight, stats.dead],
      [0, 0, 0, 0],
      'the refused envelope was not stored',
    );

    const fitting = envelopeOfSize(queue, maxBytes - HEADROOM_BYTES);
    await broker.publish(fitting);
    const log = new DeliveryLog();
    await broker.consume({ queue, prefetch: 5, leaseMs: 10_000 }, log.handler);
    await log.waitForCount(1, 'the envelope just under the limit');
    await sleep(100);
    assert.equal(log.count, 1, 'only the fitting envelope was delivered');
    assert.equal(log.delivery(0).envelope.id, fitting.id);
    assert.equal(log.delivery(0).envelope.args, fitting.args, 'its payload arrived whole');
    await broker.ack(log.delivery(0));
  },
};

/** An envelope whose JSON text is exactly `bytes` UTF-8 bytes long. */
function envelopeOfSize(queue: string, bytes: number): Envelope {
  const envelope = conformanceEnvelope(queue, { args: '' });
  const baseBytes = Buffer.byteLength(JSON.stringify(envelope), 'utf8');
  return { ...envelope, args: 'x'.repeat(bytes - baseBytes) };
}
