/**
 * Generates command lines that must fail: a valid command line for some command,
 * broken by one to three defects (bad JSON, unknown flags, impossible cron strings,
 * February 30, huge numbers, unicode, empty strings, bad URLs, zones and durations,
 * missing values, surplus arguments). Each defect is wrong for every command: either its
 * value is invalid or the flag is unknown to that command.
 */

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Valid command lines (with `{url}` standing for the broker URL under test). */
const TEMPLATES: readonly (readonly string[])[] = [
  ['enqueue', 'files.append', '--args', '{"path":"/dev/null","line":"x"}', '--queue', 'fuzz'],
  ['enqueue', 'math.add', '--args', '{"a":1,"b":2}', '--priority', '5', '--delay', '30s'],
  ['schedule', 'add', 'fuzz-entry', '--task', 'files.append', '--every', '1m'],
  [
    'schedule',
    'add',
    'fuzz-cron',
    '--task',
    'files.append',
    '--cron',
    '0 * * * *',
    '--timezone',
    'Europe/Paris',
  ],
  ['schedule', 'update', 'fuzz-entry', '--cron', '*/5 * * * *'],
  ['schedule', 'explain', '--cron', '0 9 * * mon-fri'],
  ['schedule', 'disable', 'fuzz-entry'],
  ['dlq', 'replay', '--queue', 'fuzz'],
  ['dlq', 'purge', '--queue', 'fuzz', '--yes'],
  ['result', 'fuzz-task-id'],
  ['observe', 'queues', '--queues', 'fuzz'],
  ['revoke', 'fuzz-task-id'],
];

const BAD_JSON = [
  '',
  '{',
  '{"a":1,}',
  "{'a':1}",
  'undefined',
  'NaN',
  '[1,2',
  '\u0000',
  '{"a":01}',
  '{"é":}',
  ' ',
];
const BAD_CRON = [
  '61 * * * *',
  '*/0 * * * *',
  '0 0 30 2 *',
  '0 0 31 4,6,9,11 *',
  '* * * *',
  '',
  '@reboot',
  '5-1 * * * *',
  '💥 * * * *',
  '0 24 * * *',
  '0 0 * 13 *',
  '0 0 0 * *',
];
/** Invalid for every whole-number flag (each has a minimum of 0 or 1). */
const HUGE = [
  '1e400',
  '99999999999999999999',
  '9007199254740993',
  '1e309',
  '-1',
  '５',
  '0x10',
  '3.5',
  'Infinity',
  '',
  '-0.0',
];
const BAD_DATES = [
  '2030-02-30T00:00:00Z',
  '2030-02-29T00:00:00Z',
  '2030-13-01T00:00:00Z',
  '2030-04-31T12:00:00Z',
  'tomorrow',
  '2030-01-01',
  '2030-01-01T25:00:00Z',
  '99999999999999999999',
  '',
];
const BAD_DURATIONS = ['5 minutes', '30', '99999999999d', '0.5s', '1w', '', '-5s', '٣s'];
const BAD_URLS = [
  '',
  'redi://127.0.0.1',
  'http://example.test',
  'localhost:6379',
  'rédis://x',
  'redis://127.0.0.1:6379?namespace=bad space',
  '://',
  'redis:/',
];
const BAD_ZONES = ['Mars/Base', '', 'UTC+25', 'Europe/Pariss', '🕰'];
const WORDS = ['zz', 'prïority', 'qüeue', '', '💥', 'args2', 'json=1', 'DRY-RUN', 'quue'];

export const DEFECTS: Record<string, (random: Random) => string[]> = {
  unknownFlag: (random) => [`--${pick(random, WORDS)}${Math.floor(random() * 1000)}x`],
  unknownCommand: () => [],
  badJson: (random) => ['--args', pick(random, BAD_JSON)],
  badCron: (random) => [`--cron=${pick(random, BAD_CRON)}`],
  hugePriority: (random) => [`--priority=${pick(random, [...HUGE, '10'])}`],
  hugeTimeout: (random) => [`--connect-timeout-ms=${pick(random, HUGE)}`],
  hugeLimit: (random) => [`--limit=${pick(random, ['0', ...HUGE])}`],
  badEta: (random) => [`--eta=${pick(random, BAD_DATES)}`],
  badDelay: (random) => [`--delay=${pick(random, BAD_DURATIONS)}`],
  badEvery: (random) => [`--every=${pick(random, BAD_DURATIONS.concat(['0s', '999ms']))}`],
  badUrl: (random) => [`--broker-url=${pick(random, BAD_URLS)}`],
  badZone: (random) => [`--timezone=${pick(random, BAD_ZONES)}`],
  emptyQueue: () => ['--queue='],
  unicodeQueue: (random) => [
    `--queue=${pick(random, ['fïle', '队列', 'a b', '💥', 'x'.repeat(201)])}`,
  ],
  missingValue: (random) => [
    pick(random, ['--queue', '--args', '--priority', '--broker-url', '--config']),
  ],
  surplusArgument: (random) => [pick(random, ['extra✓', '', '--', 'two words'])],
  emptyConfig: () => ['--config='],
};

export interface FuzzCase {
  argv: string[];
  defects: string[];
  json: boolean;
}

const COMMAND_NOISE = [
  'enqueu',
  '',
  'stém',
  'schedule-add',
  '💥',
  'Worker',
  'dlq-list',
  '--',
  'help2',
];

export function generateCase(random: Random, url: string): FuzzCase {
  const argv = [...pick(random, TEMPLATES)].map((word) => word.replace('{url}', url));
  const defects: string[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let index = 0; index < count; index += 1) {
    const name = pick(random, Object.keys(DEFECTS));
    defects.push(name);
    if (name === 'unknownCommand') {
      argv[0] = pick(random, COMMAND_NOISE);
      continue;
    }
    if (name === 'surplusArgument') {
      // A surplus positional goes right after the command words, before the flags.
      const words = argv[0] === 'schedule' || argv[0] === 'dlq' || argv[0] === 'observe' ? 2 : 1;
      const needed =
        argv[1] === 'add' ||
        argv[1] === 'update' ||
        argv[1] === 'disable' ||
        argv[0] === 'enqueue' ||
        argv[0] === 'result' ||
        argv[0] === 'revoke'
          ? 1
          : 0;
      const insertAt = words + needed;
      const value = DEFECTS.surplusArgument!(random);
      argv.splice(insertAt, 0, ...(value[0] === '--' ? ['--', 'after-terminator'] : value));
      continue;
    }
    // Appended: a later flag wins over the template's, and a flag missing its value
    // must be last (or it would take the next word as its value).
    argv.push(...DEFECTS[name]!(random));
  }
  const json = random() < 0.5;
  if (json) argv.splice(Math.min(argv.length, 2), 0, '--json');
  if (!argv.includes('--broker-url') && !argv.some((word) => word.startsWith('--broker-url='))) {
    argv.splice(Math.min(argv.length, 2), 0, '--broker-url', url);
  }
  return { argv, defects, json };
}
