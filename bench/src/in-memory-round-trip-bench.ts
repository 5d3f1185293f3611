/**
 * Enqueue → worker → result on the embedded in-memory adapters: the ceiling set by
 * Stem's own overhead (no network), compared with calling the handler directly.
 */
import { Stem } from '@stem/core';
import { Worker } from '@stem/worker';
import { square } from './bench-tasks';
import { rate } from './codec-bench';

export async function inMemoryRoundTripBench(count: number): Promise<string[]> {
  const directStartedAt = performance.now();
  let checksum = 0;
  for (let n = 0; n < count; n += 1)
    checksum += await square.handler({ n } as never, undefined as never);
  const directMs = performance.now() - directStartedAt;

  const stem = await Stem.connect({ brokerUrl: 'memory://bench', tasks: [square] });
  const worker = new Worker({
    broker: stem.broker,
    resultBackend: stem.resultBackend,
    tasks: [square],
    concurrency: 64,
  });
  await worker.start();
  const startedAt = performance.now();
  const results = [];
  for (let n = 0; n < count; n += 1) results.push(await stem.enqueue(square, { n }));
  const enqueuedMs = performance.now() - startedAt;
  let stemChecksum = 0;
  for (const result of results) stemChecksum += await result.get({ timeoutMs: 60_000 });
  const totalMs = performance.now() - startedAt;
  await worker.close();
  await stem.close();
  if (stemChecksum !== checksum)
    throw new Error(`checksum mismatch: ${stemChecksum} != ${checksum}`);
  return [
    `in-memory round trip, ${count} tasks, worker concurrency 64`,
    `  enqueue only  ${rate(count, enqueuedMs)} tasks/s`,
    `  enqueue → result  ${rate(count, totalMs)} tasks/s (${(totalMs / count).toFixed(3)} ms per task)`,
    `  direct handler calls  ${rate(count, directMs)} calls/s`,
    `  ratio (Stem round trip / direct call)  ${(totalMs / directMs).toFixed(1)}x`,
  ];
}
