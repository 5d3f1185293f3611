/**
 * Selecting dead letters for `stem dlq`: pages through a queue's dead-letter list
 * (oldest first) and keeps the entries matching --task, --error and --id, up to --limit.
 */
import type { Broker, DeadLetter } from '@stem/core';
import type { CommandContext } from '../command-line/command-context';
import type { OptionSpec } from '../command-line/command-spec';
import { parseTaskName } from '../command-line/option-values';

export interface DeadLetterFilter {
  queue: string;
  task?: string;
  /** Case-insensitive text looked for in the reason code, reason message and error. */
  error?: string;
  ids?: readonly string[];
  limit?: number;
}

export const FILTER_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  queue: {
    type: 'string',
    value: '<name>',
    description: 'the queue whose dead letters to use (default: default)',
  },
  task: { type: 'string', value: '<name>', description: 'only dead letters of this task' },
  error: {
    type: 'string',
    value: '<text>',
    description: 'only those whose reason or error contains this text',
  },
  id: { type: 'string', multiple: true, value: '<id>', description: 'only these dead-letter ids' },
  limit: { type: 'string', value: '<n>', description: 'at most this many (oldest first)' },
};

export function readFilter(context: CommandContext): DeadLetterFilter {
  const filter: DeadLetterFilter = { queue: context.queue('queue') ?? 'default' };
  const task = context.string('task');
  if (task !== undefined) filter.task = parseTaskName('--task', task);
  const error = context.string('error');
  if (error !== undefined) filter.error = error.toLowerCase();
  const ids = context.strings('id').texts;
  if (ids.length > 0) filter.ids = ids;
  const limit = context.integer('limit', { min: 1, max: 1_000_000 });
  if (limit !== undefined) filter.limit = limit;
  return filter;
}

export function matches(entry: DeadLetter, filter: DeadLetterFilter): boolean {
  if (filter.task !== undefined && entry.envelope.task !== filter.task) return false;
  if (filter.ids !== undefined && !filter.ids.includes(entry.id)) return false;
  if (filter.error !== undefined) {
    const text = [
      entry.reason.code,
      entry.reason.message,
      entry.reason.error?.type ?? '',
      entry.reason.error?.message ?? '',
    ]
      .join('\n')
      .toLowerCase();
    if (!text.includes(filter.error)) return false;
  }
  return true;
}

export async function selectDeadLetters(
  broker: Broker,
  filter: DeadLetterFilter,
): Promise<DeadLetter[]> {
  const selected: DeadLetter[] = [];
  let cursor: string | undefined;
  do {
    const page = await broker.listDeadLetters({
      queue: filter.queue,
      limit: 500,
      ...(cursor === undefined ? {} : { cursor }),
      ...(filter.ids === undefined ? {} : { ids: filter.ids }),
    });
    for (const entry of page.entries) {
      if (!matches(entry, filter)) continue;
      selected.push(entry);
      if (filter.limit !== undefined && selected.length >= filter.limit) return selected;
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return selected;
}
