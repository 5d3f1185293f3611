/**
 * `stem beat`: runs the beat scheduler, which enqueues each schedule entry's task when
 * it is due (any number of beats may run: each occurrence is claimed once). Edits made
 * with `stem schedule` reach a running beat through the store's change notifications.
 * Runs until SIGTERM or SIGINT: the first stops after the pass in progress (exit 0), a
 * second exits at once (exit 4).
 */
import { Beat, type BeatLogFields, type BeatLogger } from '@stem/beat';
import { Stem } from '@stem/core';
import type { CommandContext } from '../command-line/command-context';
import type { CommandSpec } from '../command-line/command-spec';
import { EXIT_CODES } from '../exit-codes';
import { waitForSignals } from './wait-for-signals';

/** Log lines: info on stdout, warnings and errors on stderr; one line each, JSON with --json. */
function cliBeatLogger(context: CommandContext): BeatLogger {
  const line = (level: string, message: string, fields: BeatLogFields) => {
    if (context.json)
      return JSON.stringify({ level, message, ...fields, at: new Date().toISOString() });
    const details = Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${value}`)
      .join(' ');
    return `beat ${level}: ${message}${details === '' ? '' : ` ${details}`}`;
  };
  return {
    info: (message, fields) => context.out(line('info', message, fields)),
    warn: (message, fields) => context.note(line('warn', message, fields)),
    error: (message, fields) => context.note(line('error', message, fields)),
  };
}

async function runBeat(context: CommandContext): Promise<number> {
  const settings = {
    instanceId: context.string('instance-id'),
    pollIntervalMs: context.integer('poll-interval-ms', { min: 100, max: 3_600_000 }),
    misfireGraceMs: context.integer('misfire-grace-ms', { min: 0, max: 86_400_000 }),
    driftWarnMs: context.integer('drift-warn-ms', { min: 0, max: 86_400_000 }),
    maxHistory: context.integer('max-history', { min: 1, max: 100_000 }),
  };
  const connection = await context.connect(['scheduleStore', 'broker', 'resultBackend']);
  const { scheduleStore, broker, resultBackend } = connection.adapters;
  const beat = new Beat({
    store: scheduleStore,
    stem: new Stem({ broker, resultBackend }),
    logger: cliBeatLogger(context),
    ...(Object.fromEntries(
      Object.entries(settings).filter(([, value]) => value !== undefined),
    ) as Partial<typeof settings>),
  } as ConstructorParameters<typeof Beat>[0]);
  try {
    await beat.start();
  } catch (error) {
    await connection.close();
    throw error;
  }
  if (context.json) context.outJson({ event: 'ready', instanceId: beat.instanceId });
  else context.out(`beat ${beat.instanceId} ready`);
  const code = await waitForSignals(context, {
    stop: async () => {
      await beat.stop();
      return EXIT_CODES.ok;
    },
    onStopping: (signal) =>
      `${signal}: stopping after the pass in progress (send again to exit now)`,
  });
  await connection.close();
  if (context.json)
    context.outJson({ event: 'stopped', instanceId: beat.instanceId, exitCode: code });
  else context.out(`beat ${beat.instanceId} stopped`);
  return code;
}

export const beatCommand: CommandSpec = {
  path: ['beat'],
  summary: 'run the beat scheduler: enqueue schedule entries when they are due',
  details:
    'Any number of beats may run against one store: each occurrence is claimed by exactly one.',
  positionals: [],
  options: {
    'instance-id': {
      type: 'string',
      value: '<id>',
      description: 'name of this beat in claims and logs',
    },
    'poll-interval-ms': {
      type: 'string',
      value: '<ms>',
      configurable: true,
      description: 'longest sleep between passes (default 5000)',
    },
    'misfire-grace-ms': {
      type: 'string',
      value: '<ms>',
      configurable: true,
      description: 'an occurrence later than this is missed (default 60000)',
    },
    'drift-warn-ms': {
      type: 'string',
      value: '<ms>',
      configurable: true,
      description: 'warn when a fire is this late (default 1000)',
    },
    'max-history': {
      type: 'string',
      value: '<n>',
      configurable: true,
      description: 'runs kept per entry (default 100)',
    },
  },
  examples: [
    'stem beat --broker-url redis://127.0.0.1:6379',
    'stem beat --json --poll-interval-ms 1000',
  ],
  run: runBeat,
};
