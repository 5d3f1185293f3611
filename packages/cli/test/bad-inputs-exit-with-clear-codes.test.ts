// A table of bad inputs, each run through the real `stem` binary (spawned from its
// sources): every one exits with its documented code and prints exactly one line on
// stderr naming the problem, with no stack trace. The same argv with --json (run
// in-process through the binary's own run()) prints a parseable error object.
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_CODES } from '@stem/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertOneCleanErrorLine,
  inBatches,
  runInProcess,
  spawnCli,
  TEST_APP,
} from './support/cli-runner';
import { RedisNamespace } from './support/redis-namespace';

let redis: RedisNamespace;
const badConfig = join(tmpdir(), `zz-cli-bad-config-${randomUUID()}.json`);

beforeAll(async () => {
  redis = await RedisNamespace.open();
  writeFileSync(badConfig, JSON.stringify({ brokerURL: 'redis://127.0.0.1:6379' }));
  const created = await runInProcess([
    'schedule',
    'add',
    'taken',
    '--task',
    'files.append',
    '--every',
    '1h',
    '--broker-url',
    redis.url,
  ]);
  expect(created.code, created.stderr).toBe(0);
});
afterAll(async () => {
  rmSync(badConfig, { force: true });
  await redis.close();
});

interface BadInput {
  name: string;
  argv: () => string[];
  code: number;
  message: RegExp;
  /** Not repeated in-process: it would leave a reconnecting client in the test process. */
  spawnOnly?: boolean;
}

const mem = ['--broker-url', 'memory://bad-inputs'];
const url = () => ['--broker-url', redis.url];

const CASES: BadInput[] = [
  {
    name: 'unknown command',
    argv: () => ['enqueu', 'x'],
    code: EXIT_CODES.usage,
    message: /unknown command "enqueu" \(did you mean "enqueue"\?\)/,
  },
  {
    name: 'unknown subcommand',
    argv: () => ['dlq', 'replya'],
    code: EXIT_CODES.usage,
    message: /unknown subcommand "stem dlq replya" \(did you mean "replay"\?\)/,
  },
  {
    name: 'unknown flag',
    argv: () => ['enqueue', 't', '--prioritty', '3', ...mem],
    code: EXIT_CODES.usage,
    message: /unknown flag "--prioritty" \(did you mean "--priority"\?\)/,
  },
  {
    name: 'missing task name',
    argv: () => ['enqueue', ...mem],
    code: EXIT_CODES.usage,
    message: /stem enqueue needs <task>/,
  },
  {
    name: 'flag without its value',
    argv: () => ['enqueue', 't', '--queue'],
    code: EXIT_CODES.usage,
    message: /--queue needs a value/,
  },
  {
    name: 'invalid JSON arguments',
    argv: () => ['enqueue', 't', '--args', '{"a":', ...mem],
    code: EXIT_CODES.jsonInvalid,
    message: /--args is not valid JSON/,
  },
  {
    name: 'empty JSON arguments',
    argv: () => ['enqueue', 't', '--args', '', ...mem],
    code: EXIT_CODES.jsonInvalid,
    message: /--args is not valid JSON: it is empty/,
  },
  {
    name: 'misspelt URL scheme',
    argv: () => ['ping', '--broker-url', 'redi://127.0.0.1'],
    code: EXIT_CODES.urlInvalid,
    message: /unknown scheme "redi" \(did you mean "redis:\/\/"\?\)/,
  },
  {
    name: 'URL without a scheme',
    argv: () => ['ping', '--broker-url', 'localhost:6379'],
    code: EXIT_CODES.urlInvalid,
    message: /"localhost:6379": it has no scheme/,
  },
  {
    name: 'bad namespace in the URL',
    argv: () => ['ping', '--broker-url', 'redis://127.0.0.1:6379?namespace=a b'],
    code: EXIT_CODES.urlInvalid,
    message: /namespace "a b" must be/,
  },
  {
    name: 'unreachable server',
    argv: () => ['ping', '--broker-url', 'redis://127.0.0.1:1', '--connect-timeout-ms', '500'],
    code: EXIT_CODES.connectionFailed,
    message: /could not reach redis:\/\/127\.0\.0\.1:1 within 500 ms/,
    spawnOnly: true,
  },
  {
    name: 'adapter not installed',
    argv: () => ['ping', '--broker-url', 'postgres://localhost/db'],
    code: EXIT_CODES.adapterNotInstalled,
    message: /needs the package @stem\/postgres/,
  },
  {
    name: 'no broker URL anywhere',
    argv: () => ['observe', 'queues'],
    code: EXIT_CODES.usage,
    message: /no broker URL: pass --broker-url, set STEM_BROKER_URL/,
  },
  {
    name: 'config file with an unknown key',
    argv: () => ['observe', 'queues', '--config', badConfig],
    code: EXIT_CODES.configInvalid,
    message: /unknown key "brokerURL" \(did you mean "brokerUrl"\?\)/,
  },
  {
    name: 'app module that does not exist',
    argv: () => ['worker', '--app', './zz-cli-no-such-app.ts', ...mem],
    code: EXIT_CODES.appModuleInvalid,
    message: /could not load the app module/,
  },
  {
    name: 'unknown task with --app',
    argv: () => ['enqueue', 'math.ad', '--app', TEST_APP, ...mem],
    code: EXIT_CODES.unknownTask,
    message: /unknown task "math.ad" \(did you mean "math.add"\?\)/,
  },
  {
    name: 'arguments refused by the schema',
    argv: () => ['enqueue', 'math.add', '--args', '{"a":"x","b":2}', '--app', TEST_APP, ...mem],
    code: EXIT_CODES.argumentsInvalid,
    message: /invalid arguments for task "math.add": a: must be a number/,
  },
  {
    name: 'cron minute 61',
    argv: () => ['schedule', 'add', 's', '--task', 't', '--cron', '61 * * * *', ...mem],
    code: EXIT_CODES.scheduleInvalid,
    message: /minute value 61 is out of range 0-59/,
  },
  {
    name: 'cron step 0',
    argv: () => ['schedule', 'explain', '--cron', '*/0 * * * *'],
    code: EXIT_CODES.scheduleInvalid,
    message: /minute step "\/0" must be a whole number/,
  },
  {
    name: 'cron on February 30',
    argv: () => ['schedule', 'explain', '--cron', '0 0 30 2 *'],
    code: EXIT_CODES.scheduleInvalid,
    message: /can never fire: day-of-month 30 does not exist in February/,
  },
  {
    name: 'unknown time zone',
    argv: () => [
      'schedule',
      'add',
      's',
      '--task',
      't',
      '--every',
      '1m',
      '--timezone',
      'Mars/Base',
      ...mem,
    ],
    code: EXIT_CODES.scheduleInvalid,
    message: /timezone "Mars\/Base" is not a known IANA time zone/,
  },
  {
    name: 'ETA on February 30',
    argv: () => ['enqueue', 't', '--eta', '2030-02-30T10:00:00Z', ...mem],
    code: EXIT_CODES.usage,
    message: /--eta names a date or time that does not exist/,
  },
  {
    name: 'huge priority',
    argv: () => ['enqueue', 't', '--priority', '99999999999999999999', ...mem],
    code: EXIT_CODES.usage,
    message: /--priority must be a whole number from 0 to 9/,
  },
  {
    name: 'delay without a unit',
    argv: () => ['enqueue', 't', '--delay', '30', ...mem],
    code: EXIT_CODES.usage,
    message: /--delay must be a duration with a unit/,
  },
  {
    name: 'unicode task name',
    argv: () => ['enqueue', 'tâche✓', ...mem],
    code: EXIT_CODES.usage,
    message: /<task> must be a task name/,
  },
  {
    name: 'version conflict',
    argv: () => ['schedule', 'disable', 'taken', '--expected-version', '99', ...url()],
    code: EXIT_CODES.versionConflict,
    message: /changed: expected version 99/,
  },
  {
    name: 'schedule not found',
    argv: () => ['schedule', 'show', 'zz-missing', ...url()],
    code: EXIT_CODES.notFound,
    message: /schedule entry zz-missing was not found/,
  },
  {
    name: 'schedule already exists',
    argv: () => ['schedule', 'add', 'taken', '--task', 't', '--every', '1m', ...url()],
    code: EXIT_CODES.alreadyExists,
    message: /already exists/,
  },
  {
    name: 'result wait timeout',
    argv: () => ['result', 'zz-never-enqueued', '--wait', '--timeout', '300ms', ...url()],
    code: EXIT_CODES.resultTimeout,
    message: /no result for task zz-never-enqueued within 300 ms/,
  },
  {
    name: 'purge without --yes',
    argv: () => ['dlq', 'purge', ...mem],
    code: EXIT_CODES.usage,
    message: /add --yes/,
  },
];

describe('bad inputs', () => {
  it('has at least 20 cases with distinct problems', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
    expect(new Set(CASES.map((entry) => entry.name)).size).toBe(CASES.length);
  });

  it(
    'each exits with its code and one clean line on stderr (spawned binary)',
    { timeout: 60_000 },
    async () => {
      const outcomes = await inBatches(CASES, 8, (entry) => spawnCli(entry.argv()));
      const failures: string[] = [];
      CASES.forEach((entry, index) => {
        const outcome = outcomes[index]!;
        if (outcome.code !== entry.code)
          failures.push(
            `${entry.name}: exit ${outcome.code}, expected ${entry.code}: ${outcome.stderr}`,
          );
        else if (!entry.message.test(outcome.stderr))
          failures.push(
            `${entry.name}: message ${JSON.stringify(outcome.stderr)} does not match ${entry.message}`,
          );
        const problem = assertOneCleanErrorLine(outcome);
        if (problem !== undefined) failures.push(`${entry.name}: ${problem}`);
      });
      expect(failures).toEqual([]);
    },
  );

  it('each prints a parseable JSON error with --json (in-process run)', async () => {
    for (const entry of CASES.filter((candidate) => candidate.spawnOnly !== true)) {
      const outcome = await runInProcess([...entry.argv(), '--json']);
      expect(outcome.code, entry.name).toBe(entry.code);
      const parsed = JSON.parse(outcome.stdout) as {
        error: { code: string; exitCode: number; message: string };
      };
      expect(parsed.error.exitCode, entry.name).toBe(entry.code);
      expect(parsed.error.message, entry.name).toMatch(entry.message);
    }
  });

  it('shows the stack trace only with --verbose', async () => {
    const quiet = await runInProcess(['enqueue', 't', '--args', '{', ...mem]);
    const verbose = await runInProcess(['enqueue', 't', '--args', '{', ...mem, '--verbose']);
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    expect(verbose.code).toBe(EXIT_CODES.jsonInvalid);
    expect(verbose.stderr).toMatch(
      /^stem: error: --args is not valid JSON.*\nCliError: .*\n\s+at /s,
    );
  });
});
