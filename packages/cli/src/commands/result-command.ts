/**
 * `stem result <id>`: shows a task's stored result; with --wait, waits for it to finish
 * (woken by the backend, not polling) and exits by outcome: 0 success, 30 failed,
 * 31 revoked, 32 no result within --timeout.
 */
import { type ResultRecord, ResultTimeoutError } from '@stem/core';
import type { CommandContext } from '../command-line/command-context';
import type { CommandSpec } from '../command-line/command-spec';
import { EXIT_CODES } from '../exit-codes';
import { formatTable } from '../output/format-table';
import { formatInstant } from '../output/format-time';

async function showResult(context: CommandContext): Promise<number> {
  const taskId = context.positionals[0]!;
  const wait = context.flag('wait');
  const timeoutMs = context.duration('timeout', 1);
  const connection = await context.connect(['resultBackend']);
  try {
    const backend = connection.adapters.resultBackend;
    let record: ResultRecord | undefined;
    if (wait) {
      try {
        record = await backend.waitFor(taskId, timeoutMs === undefined ? {} : { timeoutMs });
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'RESULT_TIMEOUT') throw error;
        throw new ResultTimeoutError(taskId, timeoutMs ?? 0);
      }
    } else {
      record = await backend.get(taskId);
    }
    printRecord(context, taskId, record);
    if (!wait || record === undefined) return EXIT_CODES.ok;
    if (record.status === 'FAILURE') {
      context.note(
        `stem: task ${taskId} failed: ${record.error?.type ?? 'Error'}: ${record.error?.message ?? ''}`,
      );
      return EXIT_CODES.taskFailed;
    }
    if (record.status === 'REVOKED') {
      context.note(`stem: task ${taskId} was revoked: ${record.meta.note ?? 'revoked'}`);
      return EXIT_CODES.taskRevoked;
    }
    return EXIT_CODES.ok;
  } finally {
    await connection.close();
  }
}

function printRecord(
  context: CommandContext,
  taskId: string,
  record: ResultRecord | undefined,
): void {
  if (context.json) {
    context.outJson(record ?? { taskId, status: 'PENDING', meta: {} });
    return;
  }
  const rows: Array<[string, string]> = [
    ['task id', taskId],
    ['status', record?.status ?? 'PENDING'],
  ];
  if (record !== undefined) {
    const { meta } = record;
    if (meta.taskName !== undefined) rows.push(['task', meta.taskName]);
    if (meta.queue !== undefined) rows.push(['queue', meta.queue]);
    if (meta.attempt !== undefined) rows.push(['attempt', String(meta.attempt)]);
    if (meta.workerId !== undefined) rows.push(['worker', meta.workerId]);
    if (meta.progress?.fraction !== undefined)
      rows.push(['progress', `${Math.round(meta.progress.fraction * 100)}%`]);
    if (record.payload !== undefined) rows.push(['result', JSON.stringify(record.payload)]);
    if (record.error !== undefined)
      rows.push(['error', `${record.error.type}: ${record.error.message}`]);
    rows.push(['updated', formatInstant(record.updatedAt)]);
  }
  context.out(
    formatTable(
      [
        { header: 'field', cell: (row: [string, string]) => row[0] },
        { header: 'value', cell: (row) => row[1] },
      ],
      rows,
    ),
  );
}

export const resultCommand: CommandSpec = {
  path: ['result'],
  summary: "show a task's result, or wait for it",
  details:
    'A task with no stored record yet is PENDING. With --wait the exit code says how it ended.',
  positionals: [{ name: 'id', description: 'the task id printed by stem enqueue' }],
  options: {
    wait: { type: 'boolean', description: 'wait until the task finishes' },
    timeout: {
      type: 'string',
      value: '<duration>',
      description: 'with --wait, give up after this (exit 32): 30s, 5m',
    },
  },
  examples: [
    'stem result 4f1c2b9e-8d6a-4c1e-9f3b-2a7d5e6f8a90',
    'stem result 4f1c2b9e-8d6a-4c1e-9f3b-2a7d5e6f8a90 --wait --timeout 1m --json',
  ],
  run: showResult,
};
