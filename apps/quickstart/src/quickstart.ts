/**
 * The quickstart: a producer and a worker in one process on the embedded default
 * (`memory://`). Swap the URL for `redis://localhost:6379` and run the worker in its
 * own process to go to production; the code stays the same.
 */
import { hasErrorCode, Stem } from '@stem/core';
import { Worker } from '@stem/worker';
import { add, allTasks, chargeCard, countWords, flakyFetch } from './tasks';

/** Runs the whole walk-through, printing each step with `log`. */
export async function runQuickstart(
  brokerUrl = 'memory://quickstart',
  log: (line: string) => void = console.log,
): Promise<void> {
  const stem = await Stem.connect({ brokerUrl, tasks: allTasks });
  const worker = new Worker({
    broker: stem.broker,
    resultBackend: stem.resultBackend,
    tasks: allTasks,
    queues: ['default', 'text'],
    concurrency: 4,
  });
  await worker.start();
  log(`worker ${worker.workerId} consuming "default" and "text" on ${brokerUrl}`);

  const sum = await stem.enqueue(add, { a: 2, b: 40 });
  const delayedFrom = Date.now();
  const delayed = await stem.enqueue(add, { a: 1, b: 1 }, { delayMs: 300 });
  const words = await stem.enqueue(countWords, {
    text: 'the quick brown fox jumps over the lazy dog',
  });
  const fetched = await stem.enqueue(flakyFetch, { url: 'https://example.test/data' });

  // Each result is typed from its task: `total` is a number, `summary.longest` a string.
  const total: number = await sum.get({ timeoutMs: 5_000 });
  log(`math.add(2, 40) = ${total}`);
  log(
    `math.add(1, 1) delayed 300 ms = ${await delayed.get({ timeoutMs: 5_000 })} (after ${Date.now() - delayedFrom} ms)`,
  );
  const summary = await words.get({ timeoutMs: 5_000 });
  log(`text.count-words: ${summary.words} words, longest "${summary.longest}"`);
  const page = await fetched.get({ timeoutMs: 5_000 });
  log(`net.flaky-fetch succeeded on attempt ${page.attempt} with status ${page.status}`);

  const charge = await stem.enqueue(chargeCard, {
    cardNumber: '4242424242424242',
    amountCents: 1_999,
  });
  try {
    await charge.get({ timeoutMs: 5_000 });
  } catch (error) {
    if (!hasErrorCode(error, 'TASK_FAILED')) throw error;
    log(`billing.charge-card failed for good: ${(error as Error).message}`);
  }
  // Closing the worker waits for its last settlement: the dead-lettering follows the FAILURE record.
  await worker.close();
  const dead = await stem.broker.listDeadLetters({ queue: 'default' });
  log(
    `dead letters on "default": ${dead.entries.length} (${dead.entries.map((entry) => entry.reason.code).join(', ')})`,
  );

  await stem.close();
  log('quickstart finished');
}
