/**
 * `stem schedule list | show | history | explain | export`: read schedule entries,
 * their run history, and when a spec fires next.
 */

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { nextOccurrences, SchedulerService } from '@stem/beat';
import {
  type ListEntriesQuery,
  NotFoundError,
  type ScheduleEntry,
  type ScheduleRun,
  type ScheduleSpec,
} from '@stem/core';
import { usageError } from '../cli-error';
import type { CommandContext } from '../command-line/command-context';
import type { CommandSpec } from '../command-line/command-spec';
import { EXIT_CODES } from '../exit-codes';
import { formatTable } from '../output/format-table';
import { formatDuration, formatInstant, formatRelative } from '../output/format-time';
import {
  checkSpec,
  describeSpec,
  entryStatus,
  parseEntryId,
  readSpec,
  SPEC_OPTIONS,
} from './schedule-input';

/** Runs `work` with a SchedulerService on the schedule store. */
export async function withService<T>(
  context: CommandContext,
  work: (service: SchedulerService) => Promise<T>,
): Promise<T> {
  const connection = await context.connect(['scheduleStore']);
  try {
    return await work(new SchedulerService({ store: connection.adapters.scheduleStore }));
  } finally {
    await connection.close();
  }
}

export async function listAllEntries(
  context: CommandContext,
  query: ListEntriesQuery = {},
): Promise<ScheduleEntry[]> {
  const connection = await context.connect(['scheduleStore']);
  try {
    const entries: ScheduleEntry[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await connection.adapters.scheduleStore.list({
        ...query,
        limit: 1_000,
        ...(after === undefined ? {} : { after }),
      });
      entries.push(...page);
      if (page.length < 1_000) return entries;
      after = page.at(-1)!.id;
    }
  } finally {
    await connection.close();
  }
}

async function list(context: CommandContext): Promise<number> {
  const enabledOnly = context.flag('enabled');
  const disabledOnly = context.flag('disabled');
  if (enabledOnly && disabledOnly) throw usageError('give --enabled or --disabled, not both');
  const entries = await listAllEntries(
    context,
    enabledOnly ? { enabled: true } : disabledOnly ? { enabled: false } : {},
  );
  if (context.json) {
    context.outJson(entries);
    return EXIT_CODES.ok;
  }
  const now = Date.now();
  context.out(
    entries.length === 0
      ? 'no schedule entries'
      : formatTable(
          [
            { header: 'id', cell: (row: ScheduleEntry) => row.id },
            { header: 'task', cell: (row) => row.taskName },
            { header: 'spec', cell: (row) => describeSpec(row.spec) },
            { header: 'zone', cell: (row) => row.timezone },
            { header: 'status', cell: (row) => entryStatus(row, now) },
            { header: 'next run', cell: (row) => formatRelative(row.nextRunAt, now) },
            { header: 'runs', cell: (row) => String(row.totalRunCount), right: true },
            { header: 'version', cell: (row) => String(row.version), right: true },
          ],
          entries,
        ),
  );
  return EXIT_CODES.ok;
}

async function show(context: CommandContext): Promise<number> {
  const id = parseEntryId(context.positionals[0]!);
  const connection = await context.connect(['scheduleStore']);
  try {
    const entry = await connection.adapters.scheduleStore.get(id);
    if (entry === undefined) throw new NotFoundError(`schedule entry ${id}`);
    if (context.json) context.outJson(entry);
    else context.out(JSON.stringify(entry, null, 2));
    return EXIT_CODES.ok;
  } finally {
    await connection.close();
  }
}

async function history(context: CommandContext): Promise<number> {
  const id = parseEntryId(context.positionals[0]!);
  const limit = context.integer('limit', { min: 1, max: 10_000 }) ?? 20;
  const runs = await withService(context, async (service) => {
    if ((await service.get(id)) === undefined) throw new NotFoundError(`schedule entry ${id}`);
    return service.history(id, limit);
  });
  if (context.json) {
    context.outJson(runs);
    return EXIT_CODES.ok;
  }
  context.out(
    runs.length === 0
      ? `no runs of ${id} yet`
      : formatTable(
          [
            { header: 'scheduled', cell: (row: ScheduleRun) => formatInstant(row.scheduledAt) },
            { header: 'fired', cell: (row) => formatInstant(row.firedAt) },
            { header: 'status', cell: (row) => row.status },
            { header: 'task id', cell: (row) => row.taskId ?? '-' },
            { header: 'duration', cell: (row) => formatDuration(row.durationMs) },
            { header: 'note', cell: (row) => row.error ?? (row as { note?: string }).note ?? '' },
          ],
          runs,
        ),
  );
  return EXIT_CODES.ok;
}

/** The next occurrences of an entry (by id, as the beat computes them) or of a spec given with flags. */
async function explain(context: CommandContext): Promise<number> {
  const count = context.integer('count', { min: 1, max: 1_000 }) ?? 5;
  const idText = context.positionals[0];
  const flagSpec = readSpec(context);
  if ((idText === undefined) === (flagSpec === undefined)) {
    throw usageError(
      'stem schedule explain needs an entry id or a spec (--cron, --every, --at or --spec), not both',
    );
  }
  const now = Date.now();
  let described: { spec: ScheduleSpec; timezone: string; next: number[] };
  if (flagSpec !== undefined) {
    const timezone = context.string('timezone') ?? 'UTC';
    checkSpec(flagSpec, timezone);
    described = {
      spec: flagSpec,
      timezone,
      next: nextOccurrences(flagSpec, { after: now, timezone, anchorAt: now }, count),
    };
  } else {
    const id = parseEntryId(idText!);
    described = await withService(context, async (service) => {
      const entry = await service.get(id);
      if (entry === undefined) throw new NotFoundError(`schedule entry ${id}`);
      return { spec: entry.spec, timezone: entry.timezone, next: await service.explain(id, count) };
    });
  }
  const { spec, timezone, next } = described;
  if (context.json) {
    context.outJson({
      spec,
      timezone,
      description: describeSpec(spec),
      next: next.map((at) => new Date(at).toISOString()),
    });
  } else {
    context.out(`${describeSpec(spec)} in ${timezone}`);
    context.out(
      next.length === 0
        ? 'never fires again'
        : next.map((at) => `  ${formatInstant(at)}  (${formatRelative(at, now)})`).join('\n'),
    );
  }
  return EXIT_CODES.ok;
}

async function exportEntries(context: CommandContext): Promise<number> {
  const output = context.string('output');
  const document = await withService(context, (service) => service.export());
  if (output === undefined) context.out(document);
  else {
    writeFileSync(resolve(context.io.cwd, output), `${document}\n`);
    const count = (JSON.parse(document) as { entries: unknown[] }).entries.length;
    if (context.json) context.outJson({ output, entries: count });
    else context.out(`exported ${count} schedule entries to ${output}`);
  }
  return EXIT_CODES.ok;
}

const ID = { name: 'id', description: 'the schedule entry id' };

export const scheduleReadCommands: CommandSpec[] = [
  {
    path: ['schedule', 'list'],
    summary: 'list schedule entries',
    positionals: [],
    options: {
      enabled: { type: 'boolean', description: 'only enabled entries' },
      disabled: { type: 'boolean', description: 'only disabled entries' },
    },
    examples: ['stem schedule list', 'stem schedule list --disabled --json'],
    run: list,
  },
  {
    path: ['schedule', 'show'],
    summary: 'show one schedule entry with every field',
    positionals: [ID],
    options: {},
    examples: ['stem schedule show nightly-report --json'],
    run: show,
  },
  {
    path: ['schedule', 'history'],
    summary: "an entry's runs, newest first",
    positionals: [ID],
    options: { limit: { type: 'string', value: '<n>', description: 'how many runs (default 20)' } },
    examples: ['stem schedule history nightly-report --limit 50'],
    run: history,
  },
  {
    path: ['schedule', 'explain'],
    summary: 'when an entry (or a spec given with flags) fires next',
    positionals: [{ ...ID, optional: true }],
    options: {
      ...SPEC_OPTIONS,
      count: { type: 'string', value: '<n>', description: 'how many occurrences (default 5)' },
    },
    examples: [
      'stem schedule explain nightly-report',
      "stem schedule explain --cron '0 9 * * mon-fri' --timezone America/New_York --count 10",
    ],
    run: explain,
  },
  {
    path: ['schedule', 'export'],
    summary: 'write every entry as JSON (for stem schedule import)',
    positionals: [],
    options: {
      output: {
        type: 'string',
        value: '<file>',
        description: 'write to this file instead of stdout',
      },
    },
    examples: [
      'stem schedule export > schedules.json',
      'stem schedule export --output schedules.json',
    ],
    run: exportEntries,
  },
];
