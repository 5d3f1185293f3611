/**
 * `stem dlq list | show | replay | purge`: inspect dead letters and send them back to
 * work or delete them, filtered by queue, task, error text or id. Replay and purge take
 * --dry-run, and draw a progress bar on a terminal while they work in batches.
 */
import { type DeadLetter, NotFoundError } from '@stem/core';
import { usageError } from '../cli-error';
import type { CommandContext } from '../command-line/command-context';
import type { CommandGroup, CommandSpec } from '../command-line/command-spec';
import { EXIT_CODES } from '../exit-codes';
import { formatTable } from '../output/format-table';
import { formatInstant } from '../output/format-time';
import { ProgressBar } from '../output/progress-bar';
import {
  type DeadLetterFilter,
  FILTER_OPTIONS,
  readFilter,
  selectDeadLetters,
} from './dlq-selection';

/** Dead letters replayed or purged per broker call. */
const BATCH_SIZE = 100;

function printDeadLetters(context: CommandContext, entries: readonly DeadLetter[]): void {
  if (context.json) {
    context.outJson(entries);
    return;
  }
  if (entries.length === 0) {
    context.out('no dead letters match');
    return;
  }
  context.out(
    formatTable(
      [
        { header: 'id', cell: (row: DeadLetter) => row.id },
        { header: 'task', cell: (row) => row.envelope.task },
        { header: 'task id', cell: (row) => row.envelope.id },
        { header: 'reason', cell: (row) => row.reason.code },
        { header: 'deliveries', cell: (row) => String(row.deliveryCount), right: true },
        { header: 'dead at', cell: (row) => formatInstant(row.deadAt) },
        { header: 'message', cell: (row) => row.reason.error?.message ?? row.reason.message },
      ],
      entries,
    ),
  );
}

async function list(context: CommandContext): Promise<number> {
  const filter = readFilter(context);
  const connection = await context.connect(['broker']);
  try {
    printDeadLetters(
      context,
      await selectDeadLetters(connection.adapters.broker, { limit: 100, ...filter }),
    );
    return EXIT_CODES.ok;
  } finally {
    await connection.close();
  }
}

async function show(context: CommandContext): Promise<number> {
  const id = context.positionals[0]!;
  const queue = context.queue('queue') ?? 'default';
  const connection = await context.connect(['broker']);
  try {
    const [entry] = await selectDeadLetters(connection.adapters.broker, { queue, ids: [id] });
    if (entry === undefined)
      throw new NotFoundError(`dead letter ${JSON.stringify(id)} in queue ${queue}`);
    if (context.json) context.outJson(entry);
    else context.out(JSON.stringify(entry, null, 2));
    return EXIT_CODES.ok;
  } finally {
    await connection.close();
  }
}

/** Replay or purge: select, then act in batches with a progress bar. */
async function act(context: CommandContext, action: 'replay' | 'purge'): Promise<number> {
  const filter: DeadLetterFilter = readFilter(context);
  const dryRun = context.flag('dry-run');
  if (action === 'purge' && !dryRun && !context.flag('yes')) {
    throw usageError(
      'stem dlq purge deletes dead letters for good: add --yes (or --dry-run to see which)',
    );
  }
  const connection = await context.connect(['broker']);
  try {
    const broker = connection.adapters.broker;
    const selected = await selectDeadLetters(broker, filter);
    let done = 0;
    if (!dryRun && selected.length > 0) {
      const bar = new ProgressBar(context.io.stderrIsTty === true ? context.io.stderr : undefined, {
        total: selected.length,
        label: action === 'replay' ? 'replaying' : 'purging',
      });
      for (let start = 0; start < selected.length; start += BATCH_SIZE) {
        const ids = selected.slice(start, start + BATCH_SIZE).map((entry) => entry.id);
        const query = { queue: filter.queue, ids, limit: ids.length };
        done +=
          action === 'replay'
            ? await broker.replayDeadLetters(query)
            : await broker.purgeDeadLetters(query);
        bar.advance(ids.length);
      }
      bar.finish();
    }
    const verb = action === 'replay' ? 'replayed' : 'purged';
    if (context.json) {
      context.outJson({
        queue: filter.queue,
        dryRun,
        matched: selected.length,
        [verb]: done,
        ids: selected.map((entry) => entry.id),
      });
    } else if (dryRun) {
      printDeadLetters(context, selected);
      context.out(
        `dry run: would have ${verb} ${selected.length} dead letter(s) of queue ${filter.queue}`,
      );
    } else {
      context.out(
        `${verb} ${done} of ${selected.length} matching dead letter(s) of queue ${filter.queue}`,
      );
    }
    return EXIT_CODES.ok;
  } finally {
    await connection.close();
  }
}

const listCommand: CommandSpec = {
  path: ['dlq', 'list'],
  summary: 'list dead letters (oldest first; 100 unless --limit)',
  positionals: [],
  options: FILTER_OPTIONS,
  examples: [
    'stem dlq list --queue emails',
    'stem dlq list --task email.send --error timeout --json',
  ],
  run: list,
};

const showCommand: CommandSpec = {
  path: ['dlq', 'show'],
  summary: 'show one dead letter with its envelope and error',
  positionals: [{ name: 'id', description: 'the dead-letter id from stem dlq list' }],
  options: { queue: FILTER_OPTIONS.queue! },
  examples: ['stem dlq show 1717171717171-0 --queue emails'],
  run: show,
};

const replayCommand: CommandSpec = {
  path: ['dlq', 'replay'],
  summary: 'send matching dead letters back to their queue (attempts start again)',
  positionals: [],
  options: {
    ...FILTER_OPTIONS,
    'dry-run': { type: 'boolean', description: 'only list what would be replayed' },
  },
  examples: [
    'stem dlq replay --queue emails --task email.send --dry-run',
    'stem dlq replay --queue emails --error ECONNRESET',
  ],
  run: (context) => act(context, 'replay'),
};

const purgeCommand: CommandSpec = {
  path: ['dlq', 'purge'],
  summary: 'delete matching dead letters for good',
  positionals: [],
  options: {
    ...FILTER_OPTIONS,
    'dry-run': { type: 'boolean', description: 'only list what would be deleted' },
    yes: { type: 'boolean', description: 'confirm the deletion' },
  },
  examples: [
    'stem dlq purge --queue emails --task email.send --dry-run',
    'stem dlq purge --queue emails --yes',
  ],
  run: (context) => act(context, 'purge'),
};

export const dlqGroup: CommandGroup = {
  name: 'dlq',
  summary: 'inspect, replay and purge dead letters',
  commands: [listCommand, showCommand, replayCommand, purgeCommand],
};
