/** Every command of the `stem` binary, in the order `stem --help` lists them. */
import type { CommandEntry } from '../command-line/parse-command-line';
import { beatCommand } from './beat-command';
import { dlqGroup } from './dlq-commands';
import { enqueueCommand } from './enqueue-command';
import { observeQueuesCommand } from './observe-queues-command';
import { observeSchedulesCommand } from './observe-schedules-command';
import { observeWorkersCommand } from './observe-workers-command';
import { pingCommand } from './ping-command';
import { resultCommand } from './result-command';
import { revokeCommand } from './revoke-command';
import { scheduleImportCommand } from './schedule-import-command';
import { scheduleReadCommands } from './schedule-read-commands';
import { scheduleWriteCommands } from './schedule-write-commands';
import { workerCommand } from './worker-command';

export const COMMAND_TABLE: readonly CommandEntry[] = [
  workerCommand,
  beatCommand,
  enqueueCommand,
  resultCommand,
  dlqGroup,
  {
    name: 'schedule',
    summary: 'add, change, inspect, export and import schedule entries',
    commands: [...scheduleWriteCommands, ...scheduleReadCommands, scheduleImportCommand],
  },
  {
    name: 'observe',
    summary: 'watch queues, workers and schedules',
    commands: [observeSchedulesCommand, observeQueuesCommand, observeWorkersCommand],
  },
  revokeCommand,
  pingCommand,
];
