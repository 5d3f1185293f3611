/**
 * Reading a schedule entry from flags: the spec (--cron, --every, --at or --spec), its
 * zone, arguments, queue, jitter and limits. Everything is validated here, before any
 * store is touched: a bad cron string or zone is SCHEDULE_INVALID (exit 23).
 */
import { validateScheduleSpec } from '@stem/beat';
import type { JitterMode, JsonValue, ScheduleEntry, ScheduleSpec } from '@stem/core';
import { usageError } from '../cli-error';
import type { CommandContext } from '../command-line/command-context';
import type { OptionSpec } from '../command-line/command-spec';
import {
  parseDuration,
  parseInstant,
  parseJson,
  parseTaskName,
  quote,
} from '../command-line/option-values';
import { formatDuration } from '../output/format-time';

const ENTRY_ID = /^[A-Za-z0-9_.:@-]{1,200}$/;

export function parseEntryId(text: string): string {
  if (!ENTRY_ID.test(text)) {
    throw usageError(
      `<id> must be 1-200 letters, digits, "_", ".", ":", "@" or "-", not ${quote(text)}`,
    );
  }
  return text;
}

export const SPEC_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  cron: {
    type: 'string',
    value: '<expr>',
    description: 'cron expression, 5 fields (6 with seconds first) or @daily…',
  },
  every: {
    type: 'string',
    value: '<duration>',
    description: 'an interval: 30s, 5m, 1h, 1d (at least 1s)',
  },
  at: {
    type: 'string',
    value: '<time>',
    description: 'once, at this ISO 8601 time (with zone) or epoch ms',
  },
  spec: {
    type: 'string',
    value: '<json>',
    description: 'any spec as JSON, e.g. {"kind":"solar","event":"sunrise",…}',
  },
  timezone: {
    type: 'string',
    value: '<zone>',
    description: 'IANA zone the spec is evaluated in (default UTC)',
  },
  'day-match': {
    type: 'string',
    value: '<or|and>',
    description: 'cron: how day-of-month and day-of-week combine',
  },
};

export const ENTRY_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  task: { type: 'string', value: '<name>', description: 'the task to enqueue' },
  ...SPEC_OPTIONS,
  args: {
    type: 'string',
    value: '<json>',
    description: "the task's argument as JSON (default null)",
  },
  queue: { type: 'string', value: '<name>', description: 'queue to publish to' },
  'jitter-ms': {
    type: 'string',
    value: '<ms>',
    description: 'add up to this much delay to each run (default 0)',
  },
  'jitter-mode': {
    type: 'string',
    value: '<random|deterministic>',
    description: 'how the jitter is drawn (default deterministic)',
  },
  'max-runs': { type: 'string', value: '<n>', description: 'stop after this many runs' },
  'expire-at': { type: 'string', value: '<time>', description: 'stop firing after this time' },
};

/** The spec given by flags, or undefined when none of --cron/--every/--at/--spec was. */
export function readSpec(context: CommandContext): ScheduleSpec | undefined {
  const given = ['cron', 'every', 'at', 'spec'].filter((flag) => context.text(flag) !== undefined);
  if (given.length > 1)
    throw usageError(
      `give one of --cron, --every, --at or --spec, not ${given.map((flag) => `--${flag}`).join(' and ')}`,
    );
  const dayMatch = context.choice('day-match', ['or', 'and'] as const);
  if (dayMatch !== undefined && given[0] !== 'cron')
    throw usageError('--day-match applies only to --cron');
  const cron = context.string('cron');
  if (cron !== undefined)
    return { kind: 'cron', expression: cron, ...(dayMatch === undefined ? {} : { dayMatch }) };
  const every = context.text('every');
  if (every !== undefined)
    return { kind: 'interval', everyMs: parseDuration(every.label, every.text, 1_000) };
  const at = context.text('at');
  if (at !== undefined) return { kind: 'clocked', runAt: parseInstant(at.label, at.text) };
  const spec = context.text('spec');
  if (spec !== undefined) return parseJson(spec.label, spec.text) as unknown as ScheduleSpec;
  return undefined;
}

/** Validates a spec in a zone (SCHEDULE_INVALID naming the field otherwise). */
export function checkSpec(spec: ScheduleSpec, timezone: string): void {
  validateScheduleSpec(spec, timezone);
}

/** The entry fields given as flags (for add: all; for update: the ones present). */
export interface EntryFields {
  taskName?: string;
  spec?: ScheduleSpec;
  timezone?: string;
  args?: JsonValue;
  queue?: string;
  jitterMs?: number;
  jitterMode?: JitterMode;
  maxRuns?: number;
  expireAt?: number;
}

export function readEntryFields(context: CommandContext): EntryFields {
  const fields: EntryFields = {};
  const task = context.string('task');
  if (task !== undefined) fields.taskName = parseTaskName('--task', task);
  const spec = readSpec(context);
  if (spec !== undefined) fields.spec = spec;
  const timezone = context.string('timezone');
  if (timezone !== undefined) fields.timezone = timezone;
  const args = context.text('args');
  if (args !== undefined) fields.args = parseJson(args.label, args.text);
  const queue = context.queue('queue');
  if (queue !== undefined) fields.queue = queue;
  const jitterMs = context.integer('jitter-ms', { min: 0, max: 86_400_000 });
  if (jitterMs !== undefined) fields.jitterMs = jitterMs;
  const jitterMode = context.choice('jitter-mode', ['random', 'deterministic'] as const);
  if (jitterMode !== undefined) fields.jitterMode = jitterMode;
  const maxRuns = context.integer('max-runs', { min: 1, max: 1_000_000_000 });
  if (maxRuns !== undefined) fields.maxRuns = maxRuns;
  const expireAt = context.text('expire-at');
  if (expireAt !== undefined) fields.expireAt = parseInstant(expireAt.label, expireAt.text);
  return fields;
}

/** `cron 0 * * * *`, `every 5m`, `at 2030-01-01T00:00:00Z`, `sunrise 59.9,10.7`, `calendar`. */
export function describeSpec(spec: ScheduleSpec): string {
  switch (spec.kind) {
    case 'cron':
      return `cron ${spec.expression}${spec.dayMatch === 'and' ? ' (and)' : ''}`;
    case 'interval':
      return `every ${formatDuration(spec.everyMs)}`;
    case 'clocked':
      return `at ${new Date(spec.runAt).toISOString()}`;
    case 'solar':
      return `${spec.event} ${spec.latitude},${spec.longitude}`;
    case 'calendar':
      return `calendar ${JSON.stringify({ ...spec, kind: undefined })}`;
  }
}

/** What `observe schedules` calls an entry's state. */
export function entryStatus(entry: ScheduleEntry, now: number): string {
  if (!entry.enabled) return 'disabled';
  if (entry.expireAt !== undefined && entry.expireAt <= now) return 'expired';
  if (entry.maxRuns !== undefined && entry.totalRunCount >= entry.maxRuns) return 'finished';
  if (entry.nextRunAt === undefined) return 'finished';
  if (entry.lastErrorAt !== undefined && (entry.lastSuccessAt ?? 0) < entry.lastErrorAt)
    return 'failing';
  return 'active';
}
