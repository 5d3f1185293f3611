/** `stem observe queues`: ready, delayed, in-flight and dead counts per queue. */
import type { QueueStats } from '@stem/core';
import type { CommandContext } from '../command-line/command-context';
import type { CommandSpec } from '../command-line/command-spec';
import { EXIT_CODES } from '../exit-codes';
import { formatTable } from '../output/format-table';
import { QUEUES_OPTION } from './worker-options';

async function observeQueues(context: CommandContext): Promise<number> {
  const queues = context.queues('queues', ['default']);
  const connection = await context.connect(['broker']);
  try {
    const stats: QueueStats[] = [];
    for (const queue of queues) stats.push(await connection.adapters.broker.stats(queue));
    if (context.json) {
      context.outJson(stats);
      return EXIT_CODES.ok;
    }
    context.out(
      formatTable(
        [
          { header: 'queue', cell: (row: QueueStats) => row.queue },
          { header: 'ready', cell: (row) => String(row.ready), right: true },
          { header: 'delayed', cell: (row) => String(row.delayed), right: true },
          { header: 'in flight', cell: (row) => String(row.inFlight), right: true },
          { header: 'dead', cell: (row) => String(row.dead), right: true },
        ],
        stats,
      ),
    );
    return EXIT_CODES.ok;
  } finally {
    await connection.close();
  }
}

export const observeQueuesCommand: CommandSpec = {
  path: ['observe', 'queues'],
  summary: 'message counts per queue: ready, delayed, in flight, dead',
  positionals: [],
  options: { queues: QUEUES_OPTION },
  examples: ['stem observe queues --queues default,emails', 'stem observe queues --json'],
  run: observeQueues,
};
