/**
 * The quickstart's tasks. Each is an ordinary typed function; `defineTask` gives it
 * a name so producers and workers in any process can refer to it.
 */
import { defineTask } from '@stem/core';

/** Adds two numbers: the smallest possible task. */
export const add = defineTask({
  name: 'math.add',
  run: ({ a, b }: { a: number; b: number }) => a + b,
});

/** Counts words, reporting progress as it goes. */
export const countWords = defineTask({
  name: 'text.count-words',
  queue: 'text',
  run: async ({ text }: { text: string }, context) => {
    const words = text.split(/\s+/).filter((word) => word.length > 0);
    await context.reportProgress({ fraction: 0.5, info: { words: words.length } });
    const longest = words.reduce((best, word) => (word.length > best.length ? word : best), '');
    return { words: words.length, longest };
  },
});

/** Fails on its first attempt, as a flaky network call would, then succeeds. */
export const flakyFetch = defineTask({
  name: 'net.flaky-fetch',
  retry: { maxRetries: 3, initialDelayMs: 200, jitter: 'none' },
  run: ({ url }: { url: string }, context) => {
    if (context.attempt < 2) throw new Error(`connection reset while fetching ${url}`);
    return { url, status: 200, attempt: context.attempt };
  },
});

/** Always fails: shows retries running out and the dead-letter queue. */
export const chargeCard = defineTask({
  name: 'billing.charge-card',
  retry: { maxRetries: 1, initialDelayMs: 100, jitter: 'none' },
  secretArgs: ['cardNumber'],
  run: ({ cardNumber }: { cardNumber: string; amountCents: number }): { receipt: string } => {
    throw new Error(`card ending ${cardNumber.slice(-4)} was declined`);
  },
});

export const allTasks = [add, countWords, flakyFetch, chargeCard];
