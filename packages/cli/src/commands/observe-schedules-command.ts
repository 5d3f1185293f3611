/** `stem observe schedules`: per entry, next and last run, jitter, drift and status. */
import type { ScheduleEntry } from '@stem/core';
import type { CommandContext } from '../command-line/command-context';
import type { CommandSpec } from '../command-line/command-spec';
import { EXIT_CODES } from '../exit-codes';
import { formatTable } from '../output/format-table';
import { formatDuration, formatRelative } from '../output/format-time';
import { describeSpec, entryStatus } from './schedule-input';
import { listAllEntries } from './schedule-read-commands';

async function observeSchedules(context: CommandContext): Promise<number> {
  const entries = await listAllEntries(context);
  const now = Date.now();
  if (context.json) {
    context.outJson(
      entries.map((entry) => ({
        id: entry.id,
        task: entry.taskName,
        spec: describeSpec(entry.spec),
        status: entryStatus(entry, now),
        nextRunAt: entry.nextRunAt ?? null,
        lastRunAt: entry.lastRunAt ?? null,
        jitterMs: entry.jitterMs,
        lastJitterMs: entry.lastJitterMs ?? null,
        driftMs: entry.driftMs ?? null,
        totalRunCount: entry.totalRunCount,
        lastError: entry.lastError ?? null,
        version: entry.version,
      })),
    );
    return EXIT_CODES.ok;
  }
  context.out(
    entries.length === 0
      ? 'no schedule entries'
      : formatTable(
          [
            { header: 'id', cell: (row: ScheduleEntry) => row.id },
            { header: 'task', cell: (row) => row.taskName },
            { header: 'status', cell: (row) => entryStatus(row, now) },
            { header: 'next run', cell: (row) => formatRelative(row.nextRunAt, now) },
            { header: 'last run', cell: (row) => formatRelative(row.lastRunAt, now) },
            {
              header: 'jitter',
              cell: (row) =>
                `${formatDuration(row.lastJitterMs)} / ${formatDuration(row.jitterMs)}`,
            },
            { header: 'drift', cell: (row) => formatDuration(row.driftMs) },
            { header: 'runs', cell: (row) => String(row.totalRunCount), right: true },
            { header: 'last error', cell: (row) => row.lastError ?? '' },
          ],
          entries,
        ),
  );
  return EXIT_CODES.ok;
}

export const observeSchedulesCommand: CommandSpec = {
  path: ['observe', 'schedules'],
  summary: 'schedules: next run, last run, jitter (last / max), drift, status',
  positionals: [],
  options: {},
  examples: ['stem observe schedules', 'stem observe schedules --json'],
  run: observeSchedules,
};
