/**
 * No-op tasks through the inline pool and through the worker_threads pool on the
 * in-memory broker: the throughput of each, and the thread pool's per-task overhead
 * (the extra time a task spends crossing to a thread and back).
 */
import { Stem } from '@stem/core';
import { Worker } from '@stem/worker';
import { noop } from './bench-tasks';
import { rate } from './codec-bench';

async function drain(
  pool: 'inline' | 'threads',
  count: number,
  concurrency: number,
): Promise<number> {
  const url = `memory://pool-bench-${pool}`;
  const stem = await Stem.connect({ brokerUrl: url, tasks: [noop] });
  const worker = new Worker({
    broker: stem.broker,
    resultBackend: stem.resultBackend,
    ...(pool === 'inline'
      ? { tasks: [noop] }
      : { appModule: new URL('./bench-tasks.ts', import.meta.url) }),
    pool,
    concurrency,
  });
  await worker.start();
  const startedAt = performance.now();
  const results = [];
  for (let index = 0; index < count; index += 1) results.push(await stem.enqueue(noop, {}));
  for (const result of results) await result.get({ timeoutMs: 120_000 });
  const elapsedMs = performance.now() - startedAt;
  await worker.close();
  await stem.close();
  return elapsedMs;
}

export async function poolBench(count: number): Promise<string[]> {
  const threads = 2;
  const inlineMs = await drain('inline', count, threads);
  const threadsMs = await drain('threads', count, threads);
  const overheadMs = ((threadsMs - inlineMs) / count) * threads;
  return [
    `no-op tasks through each pool on the memory broker, ${count} tasks, concurrency ${threads}`,
    `  inline pool  ${rate(count, inlineMs)} tasks/s`,
    `  thread pool  ${rate(count, threadsMs)} tasks/s`,
    `  ratio (inline / threads throughput)  ${(threadsMs / inlineMs).toFixed(2)}x`,
    `  thread pool overhead per task  ${overheadMs.toFixed(3)} ms (per thread, over the inline pool)`,
  ];
}
