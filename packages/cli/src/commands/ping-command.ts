/** `stem ping`: checks that the broker, result backend and schedule store answer. */
import { redactUrl } from '@stem/core';
import type { CommandContext } from '../command-line/command-context';
import type { CommandSpec } from '../command-line/command-spec';
import { EXIT_CODES } from '../exit-codes';
import { formatTable } from '../output/format-table';

interface PingRow {
  role: 'broker' | 'resultBackend' | 'scheduleStore';
  url: string;
  latencyMs: number;
}

async function ping(context: CommandContext): Promise<number> {
  const urls = context.urls();
  const started = Date.now();
  const connection = await context.connect(['broker', 'resultBackend', 'scheduleStore']);
  try {
    const { broker, resultBackend, scheduleStore } = connection.adapters;
    const rows: PingRow[] = [
      {
        role: 'broker',
        url: urls.brokerUrl,
        latencyMs: await timed(() => broker.stats('default')),
      },
      {
        role: 'resultBackend',
        url: urls.resultBackendUrl,
        latencyMs: await timed(() => resultBackend.get('stem-cli-ping')),
      },
      {
        role: 'scheduleStore',
        url: urls.scheduleStoreUrl,
        latencyMs: await timed(() => scheduleStore.list({ limit: 1 })),
      },
    ].map((row) => ({ ...row, url: redactUrl(row.url) }) as PingRow);
    if (context.json) {
      context.outJson({ ok: true, connectMs: Date.now() - started, adapters: rows });
    } else {
      context.out(
        formatTable(
          [
            { header: 'role', cell: (row: PingRow) => row.role },
            { header: 'url', cell: (row) => row.url },
            { header: 'status', cell: () => 'ok' },
            { header: 'latency', cell: (row) => `${row.latencyMs}ms`, right: true },
          ],
          rows,
        ),
      );
    }
    return EXIT_CODES.ok;
  } finally {
    await connection.close();
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return Math.round((performance.now() - started) * 10) / 10;
}

export const pingCommand: CommandSpec = {
  path: ['ping'],
  summary: 'check that the broker, result backend and schedule store answer',
  details: 'Exits 11 if a server does not answer within --connect-timeout-ms.',
  positionals: [],
  options: {},
  examples: [
    'stem ping --broker-url redis://127.0.0.1:6379',
    'stem ping --json --connect-timeout-ms 1000',
  ],
  run: ping,
};
