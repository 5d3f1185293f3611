/**
 * The envelope codec against bare JSON: what validation on every encode and decode
 * costs, as a ratio to JSON.stringify + JSON.parse of the same envelopes.
 */
import { createEnvelope, decodeEnvelope, type Envelope, encodeEnvelope } from '@stem/core';

export async function codecBench(count: number): Promise<string[]> {
  const envelopes: Envelope[] = Array.from({ length: 1_000 }, (_, index) =>
    createEnvelope({
      task: 'orders.process',
      args: {
        orderId: `order-${index}`,
        lines: [{ sku: 'A-1', quantity: index % 7 }],
        note: 'x'.repeat(index % 200),
      },
      headers: { tenant: `tenant-${index % 10}` },
    }),
  );
  const baselineMs = timeRuns(count, (index) => {
    JSON.parse(JSON.stringify(envelopes[index % envelopes.length]));
  });
  const codecMs = timeRuns(count, (index) => {
    decodeEnvelope(encodeEnvelope(envelopes[index % envelopes.length]!));
  });
  return [
    `envelope codec, ${count} encode+decode round trips`,
    `  JSON.stringify + JSON.parse  ${rate(count, baselineMs)} /s`,
    `  encodeEnvelope + decodeEnvelope  ${rate(count, codecMs)} /s`,
    `  ratio (codec time / bare JSON time)  ${(codecMs / baselineMs).toFixed(2)}x`,
  ];
}

function timeRuns(count: number, run: (index: number) => void): number {
  for (let index = 0; index < Math.min(count, 2_000); index += 1) run(index); // warm-up
  const startedAt = performance.now();
  for (let index = 0; index < count; index += 1) run(index);
  return performance.now() - startedAt;
}

export function rate(count: number, elapsedMs: number): string {
  return Math.round((count / elapsedMs) * 1_000).toLocaleString('en-US');
}
