/**
 * `stem observe workers`: the workers alive now, from their heartbeat events. Events are
 * not stored, so the command listens for a while (longer than the heartbeat interval)
 * and lists every worker heard from.
 */
import type { WorkerHeartbeatEvent } from '@stem/core';
import type { CommandContext } from '../command-line/command-context';
import type { CommandSpec } from '../command-line/command-spec';
import { EXIT_CODES } from '../exit-codes';
import { formatTable } from '../output/format-table';
import { formatRelative } from '../output/format-time';

/** @default for --listen: a little over the worker's default 10 s heartbeat interval. */
const DEFAULT_LISTEN_MS = 11_000;

async function observeWorkers(context: CommandContext): Promise<number> {
  const listenMs = context.duration('listen', 100) ?? DEFAULT_LISTEN_MS;
  const connection = await context.connect(['eventBus']);
  const seen = new Map<string, WorkerHeartbeatEvent>();
  try {
    const unsubscribe = await connection.adapters.eventBus.subscribe(
      (event) => {
        if (event.type === 'worker.heartbeat') seen.set(event.workerId, event);
      },
      ['worker.heartbeat'],
    );
    await new Promise((resolve) => setTimeout(resolve, listenMs));
    await unsubscribe();
  } finally {
    await connection.close();
  }
  const workers = [...seen.values()].sort((a, b) => a.workerId.localeCompare(b.workerId));
  if (context.json) {
    context.outJson(workers);
    return EXIT_CODES.ok;
  }
  if (workers.length === 0) {
    context.out(`no worker heartbeat within ${listenMs} ms`);
    return EXIT_CODES.ok;
  }
  const now = Date.now();
  context.out(
    formatTable(
      [
        { header: 'worker', cell: (row: WorkerHeartbeatEvent) => row.workerId },
        { header: 'host', cell: (row) => row.hostname },
        { header: 'pid', cell: (row) => String(row.pid), right: true },
        { header: 'queues', cell: (row) => row.queues.join(',') },
        { header: 'active', cell: (row) => String(row.active), right: true },
        { header: 'processed', cell: (row) => String(row.processed), right: true },
        { header: 'last heartbeat', cell: (row) => formatRelative(row.at, now) },
      ],
      workers,
    ),
  );
  return EXIT_CODES.ok;
}

export const observeWorkersCommand: CommandSpec = {
  path: ['observe', 'workers'],
  summary: 'workers alive now, from their heartbeats',
  details:
    'Listens for heartbeat events for --listen (default 11s: longer than the default 10 s interval).',
  positionals: [],
  options: {
    listen: {
      type: 'string',
      value: '<duration>',
      description: 'how long to listen for heartbeats (default 11s)',
    },
  },
  examples: ['stem observe workers', 'stem observe workers --listen 3s --json'],
  run: observeWorkers,
};
