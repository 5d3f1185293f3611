/**
 * `stem enqueue <task>`: publishes a task by name. With --app the task must exist there
 * and its schema validates the arguments first; without it the name is published as is
 * (a worker that does not know it dead-letters it). Everything is validated before the
 * broker is touched, so a refused command writes nothing.
 */
import { createEnvelope, type EnqueueOptions, Stem, validateTaskArguments } from '@stem/core';
import { usageError } from '../cli-error';
import type { CommandContext } from '../command-line/command-context';
import type { CommandSpec } from '../command-line/command-spec';
import { parseInstant, parseJson, parsePairs, parseTaskName } from '../command-line/option-values';
import { EXIT_CODES } from '../exit-codes';
import { APP_OPTION, loadApp } from './load-app';

async function enqueue(context: CommandContext): Promise<number> {
  const taskName = parseTaskName('<task>', context.positionals[0]!);
  const argsText = context.text('args');
  const args = argsText === undefined ? null : parseJson(argsText.label, argsText.text);
  const options = enqueueOptions(context);
  const appPath = context.string('app');
  const app = appPath === undefined ? undefined : await loadApp(appPath, context.io.cwd);
  const task = app?.registry.resolve(taskName);
  if (task !== undefined) await validateTaskArguments(task, args);
  const queue = options.queue ?? task?.options.queue ?? 'default';
  // A dry run of the envelope: bad names, sizes or fields are refused before connecting.
  createEnvelope({ task: taskName, args, queue, priority: options.priority ?? 0 });
  const connection = await context.connect(['broker']);
  try {
    const stem = new Stem({
      broker: connection.adapters.broker,
      ...(task === undefined ? {} : { tasks: [task] }),
    });
    const handle = await stem.enqueueByName(taskName, args, options);
    if (context.json) context.outJson({ taskId: handle.id, task: taskName, queue });
    else context.out(handle.id);
    return EXIT_CODES.ok;
  } finally {
    await connection.close();
  }
}

function enqueueOptions(context: CommandContext): EnqueueOptions {
  const delayMs = context.duration('delay');
  const etaText = context.text('eta');
  if (delayMs !== undefined && etaText !== undefined)
    throw usageError('give --delay or --eta, not both');
  const options: EnqueueOptions = {};
  const queue = context.queue('queue');
  if (queue !== undefined) options.queue = queue;
  const priority = context.integer('priority', { min: 0, max: 9 });
  if (priority !== undefined) options.priority = priority;
  if (delayMs !== undefined) options.delayMs = delayMs;
  if (etaText !== undefined) options.eta = parseInstant(etaText.label, etaText.text);
  const expiresInMs = context.duration('expires-in', 1);
  if (expiresInMs !== undefined) options.expiresInMs = expiresInMs;
  const maxRetries = context.integer('max-retries', { min: 0, max: 1_000 });
  if (maxRetries !== undefined) options.maxRetries = maxRetries;
  const taskId = context.string('task-id');
  if (taskId !== undefined) options.taskId = taskId;
  const idempotencyKey = context.string('idempotency-key');
  if (idempotencyKey !== undefined) options.idempotencyKey = idempotencyKey;
  const headers = context.strings('header');
  if (headers.texts.length > 0) options.headers = parsePairs(headers.label, headers.texts);
  return options;
}

export const enqueueCommand: CommandSpec = {
  path: ['enqueue'],
  summary: 'publish a task by name, with JSON arguments',
  details:
    'Prints the task id. Without --app the task is published by name (a worker that does not know it\ndead-letters it); with --app the name must exist there and the task schema checks --args.',
  positionals: [{ name: 'task', description: 'the task name, e.g. email.send' }],
  options: {
    args: {
      type: 'string',
      value: '<json>',
      description: "the task's argument as JSON (default null)",
    },
    queue: {
      type: 'string',
      value: '<name>',
      description: "queue to publish to (default: the task's queue, else default)",
    },
    priority: { type: 'string', value: '<0-9>', description: '0 (lowest) to 9 (highest)' },
    delay: {
      type: 'string',
      value: '<duration>',
      description: 'run no sooner than this from now: 1500ms, 30s, 5m, 2h, 1d',
    },
    eta: {
      type: 'string',
      value: '<time>',
      description: 'run no sooner than this ISO 8601 time (with zone) or epoch ms',
    },
    'expires-in': {
      type: 'string',
      value: '<duration>',
      description: 'skip the task if it has not started within this',
    },
    'max-retries': { type: 'string', value: '<n>', description: 'retries after the first attempt' },
    'task-id': {
      type: 'string',
      value: '<id>',
      description: 'choose the task id (idempotent producers)',
    },
    'idempotency-key': { type: 'string', value: '<key>', description: 'run at most once per key' },
    header: {
      type: 'string',
      multiple: true,
      value: '<key=value>',
      description: 'a message header',
    },
    app: APP_OPTION,
  },
  examples: [
    'stem enqueue email.send --args \'{"to":"ada@example.com"}\'',
    'stem enqueue reports.build --args \'{"month":"2030-01"}\' --delay 5m --priority 7',
    'stem enqueue math.add --args \'{"a":1,"b":2}\' --app ./dist/tasks.js --queue math',
  ],
  run: enqueue,
};
