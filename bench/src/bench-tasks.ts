/** Tasks the benchmarks run; the thread pool loads this module in each thread. */
import { defineTask } from '@stem/core';

export const noop = defineTask({ name: 'bench.noop', run: () => null });

export const square = defineTask({ name: 'bench.square', run: ({ n }: { n: number }) => n * n });
