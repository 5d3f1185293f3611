/**
 * `stem schedule add | update | enable | disable | delete | run-now`: change schedule
 * entries through @stem/beat's SchedulerService (validation, next-run computation,
 * audit lines). Entries are validated before connecting; with --expected-version a
 * change to an entry someone else changed first is refused (VERSION_CONFLICT, exit 24).
 */
import {
  resolveEntryInput,
  type ScheduleEntryInput,
  SchedulerService,
  validateTimeZone,
} from '@stem/beat';
import { NotFoundError, type ScheduleEntry, Stem } from '@stem/core';
import { usageError } from '../cli-error';
import type { CommandContext } from '../command-line/command-context';
import type { CommandSpec, OptionSpec } from '../command-line/command-spec';
import { EXIT_CODES } from '../exit-codes';
import {
  checkSpec,
  ENTRY_OPTIONS,
  type EntryFields,
  parseEntryId,
  readEntryFields,
} from './schedule-input';

const EXPECTED_VERSION: OptionSpec = {
  type: 'string',
  value: '<n>',
  description: 'refuse (exit 24) unless the entry is still at this version',
};

const REASON: OptionSpec = {
  type: 'string',
  value: '<text>',
  description: "kept in the entry's history",
};

function expectedVersion(context: CommandContext): { expectedVersion?: number } {
  const version = context.integer('expected-version', { min: 1 });
  return version === undefined ? {} : { expectedVersion: version };
}

function printEntryChange(context: CommandContext, verb: string, entry: ScheduleEntry): void {
  if (context.json) context.outJson(entry);
  else {
    const next =
      entry.nextRunAt === undefined
        ? 'no next run'
        : `next run ${new Date(entry.nextRunAt).toISOString()}`;
    context.out(
      `${verb} schedule ${entry.id} (version ${entry.version}, ${entry.enabled ? 'enabled' : 'disabled'}, ${next})`,
    );
  }
}

/** Runs `work` with a SchedulerService on the schedule store (and a broker if it publishes). */
async function withService<T>(
  context: CommandContext,
  publishes: boolean,
  work: (service: SchedulerService) => Promise<T>,
): Promise<T> {
  const connection = await context.connect(
    publishes ? ['scheduleStore', 'broker'] : ['scheduleStore'],
  );
  try {
    const { scheduleStore } = connection.adapters;
    const broker = (connection.adapters as { broker?: Stem['broker'] }).broker;
    return await work(
      new SchedulerService({
        store: scheduleStore,
        ...(broker === undefined ? {} : { stem: new Stem({ broker }) }),
      }),
    );
  } finally {
    await connection.close();
  }
}

function fieldsToInput(
  fields: EntryFields,
): Omit<ScheduleEntryInput, 'id' | 'taskName' | 'spec'> & Partial<ScheduleEntryInput> {
  const { taskName, spec, ...rest } = fields;
  return {
    ...rest,
    ...(taskName === undefined ? {} : { taskName }),
    ...(spec === undefined ? {} : { spec }),
  };
}

async function add(context: CommandContext): Promise<number> {
  const id = parseEntryId(context.positionals[0]!);
  const fields = readEntryFields(context);
  if (fields.taskName === undefined) throw usageError('stem schedule add needs --task <name>');
  if (fields.spec === undefined)
    throw usageError('stem schedule add needs one of --cron, --every, --at or --spec');
  const input = {
    ...fieldsToInput(fields),
    id,
    taskName: fields.taskName,
    spec: fields.spec,
    enabled: !context.flag('disabled'),
  };
  resolveEntryInput(input); // SCHEDULE_INVALID before anything connects
  const entry = await withService(context, false, (service) => service.create(input));
  printEntryChange(context, 'added', entry);
  return EXIT_CODES.ok;
}

async function update(context: CommandContext): Promise<number> {
  const id = parseEntryId(context.positionals[0]!);
  const fields = readEntryFields(context);
  const check = expectedVersion(context);
  if (Object.keys(fields).length === 0)
    throw usageError('stem schedule update needs at least one field to change (see --help)');
  // Checked before connecting; the service checks the merged entry again.
  if (fields.spec !== undefined) checkSpec(fields.spec, fields.timezone ?? 'UTC');
  else if (fields.timezone !== undefined) validateTimeZone(fields.timezone);
  const entry = await withService(context, false, (service) =>
    service.update(id, fieldsToInput(fields), check),
  );
  printEntryChange(context, 'updated', entry);
  return EXIT_CODES.ok;
}

async function setEnabled(context: CommandContext, enabled: boolean): Promise<number> {
  const id = parseEntryId(context.positionals[0]!);
  const options = {
    ...expectedVersion(context),
    ...(context.string('reason') === undefined ? {} : { reason: context.string('reason')! }),
  };
  const entry = await withService(context, false, (service) =>
    enabled ? service.enable(id, options) : service.disable(id, options),
  );
  printEntryChange(context, enabled ? 'enabled' : 'disabled', entry);
  return EXIT_CODES.ok;
}

async function remove(context: CommandContext): Promise<number> {
  const id = parseEntryId(context.positionals[0]!);
  const check = expectedVersion(context);
  const deleted = await withService(context, false, (service) => service.delete(id, check));
  if (!deleted) throw new NotFoundError(`schedule entry ${id}`);
  if (context.json) context.outJson({ id, deleted: true });
  else context.out(`deleted schedule ${id}`);
  return EXIT_CODES.ok;
}

async function runNow(context: CommandContext): Promise<number> {
  const id = parseEntryId(context.positionals[0]!);
  const reason = context.string('reason');
  const taskId = await withService(context, true, (service) =>
    service.runNow(id, reason === undefined ? {} : { reason }),
  );
  if (context.json) context.outJson({ id, taskId });
  else context.out(taskId);
  return EXIT_CODES.ok;
}

const ID = [{ name: 'id', description: 'the schedule entry id' }] as const;

export const scheduleWriteCommands: CommandSpec[] = [
  {
    path: ['schedule', 'add'],
    summary: 'add a schedule entry',
    positionals: ID,
    options: { ...ENTRY_OPTIONS, disabled: { type: 'boolean', description: 'add it disabled' } },
    examples: [
      "stem schedule add nightly-report --task reports.build --cron '0 2 * * *' --timezone Europe/Paris",
      'stem schedule add heartbeat --task ops.ping --every 30s --args \'{"target":"db"}\' --jitter-ms 2000',
      'stem schedule add launch --task launch.go --at 2030-01-01T00:00:00Z',
    ],
    run: add,
  },
  {
    path: ['schedule', 'update'],
    summary: 'change fields of a schedule entry',
    positionals: ID,
    options: { ...ENTRY_OPTIONS, 'expected-version': EXPECTED_VERSION },
    examples: [
      "stem schedule update nightly-report --cron '30 2 * * *'",
      'stem schedule update nightly-report --args \'{"full":true}\' --expected-version 4',
    ],
    run: update,
  },
  {
    path: ['schedule', 'enable'],
    summary: 'enable a schedule entry (it fires from its next occurrence)',
    positionals: ID,
    options: { 'expected-version': EXPECTED_VERSION, reason: REASON },
    examples: ['stem schedule enable nightly-report'],
    run: (context) => setEnabled(context, true),
  },
  {
    path: ['schedule', 'disable'],
    summary: 'disable a schedule entry (running beats stop firing it)',
    positionals: ID,
    options: { 'expected-version': EXPECTED_VERSION, reason: REASON },
    examples: [
      'stem schedule disable nightly-report',
      'stem schedule disable nightly-report --expected-version 3',
    ],
    run: (context) => setEnabled(context, false),
  },
  {
    path: ['schedule', 'run-now'],
    summary: "enqueue an entry's task now, outside its schedule",
    positionals: ID,
    options: { reason: REASON },
    examples: ['stem schedule run-now nightly-report'],
    run: runNow,
  },
  {
    path: ['schedule', 'delete'],
    summary: 'delete a schedule entry and its history',
    positionals: ID,
    options: { 'expected-version': EXPECTED_VERSION },
    examples: ['stem schedule delete nightly-report'],
    run: remove,
  },
];
