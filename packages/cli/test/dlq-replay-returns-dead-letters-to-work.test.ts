// End to end through the real binary and a real Redis: tasks that fail land in the
// dead-letter queue (`stem dlq list` shows them, filtered by task and error text);
// `stem dlq replay --dry-run` changes nothing; `stem dlq replay` sends them back and the
// running `stem worker` completes them.
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@stem/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CliProcess, runInProcess, spawnCli, TEST_APP } from './support/cli-runner';
import { RedisNamespace } from './support/redis-namespace';

let redis: RedisNamespace;
let worker: CliProcess | undefined;
const gate = join(tmpdir(), `zz-cli-gate-${randomUUID()}`);

beforeAll(async () => {
  redis = await RedisNamespace.open();
});
afterAll(async () => {
  await worker?.stop();
  rmSync(gate, { force: true });
  await redis.close();
});

interface DeadLetterJson {
  id: string;
  envelope: { id: string; task: string };
  reason: { code: string };
}

it('replays dead letters back to a running worker', { timeout: 60_000 }, async () => {
  const env = { STEM_BROKER_URL: redis.url };
  worker = new CliProcess(['worker', '--app', TEST_APP, '--pool', 'inline', '--queues', 'flaky'], {
    env,
  });
  await worker.waitFor(/ready/);

  // Five tasks that fail until the gate file exists, plus one unknown task.
  const taskIds: string[] = [];
  for (let n = 0; n < 5; n += 1) {
    const enqueued = await runInProcess([
      'enqueue',
      'flaky.until-file',
      '--queue',
      'flaky',
      '--args',
      JSON.stringify({ path: gate, n }),
      '--broker-url',
      redis.url,
    ]);
    expect(enqueued.code, enqueued.stderr).toBe(0);
    taskIds.push(enqueued.stdout.trim());
  }
  await runInProcess(['enqueue', 'reports.unknown', '--queue', 'flaky', '--broker-url', redis.url]);
  await eventually(
    'six dead letters',
    async () => {
      const stats = await runInProcess([
        'observe',
        'queues',
        '--queues',
        'flaky',
        '--json',
        '--broker-url',
        redis.url,
      ]);
      return (JSON.parse(stats.stdout) as Array<{ dead: number }>)[0]!.dead === 6;
    },
    15_000,
    100,
  );

  const listed = await spawnCli(
    [
      'dlq',
      'list',
      '--queue',
      'flaky',
      '--task',
      'flaky.until-file',
      '--error',
      'does not exist yet',
      '--json',
    ],
    { env },
  );
  const entries = JSON.parse(listed.stdout) as DeadLetterJson[];
  expect(entries.map((entry) => entry.envelope.id).sort()).toEqual([...taskIds].sort());
  expect(new Set(entries.map((entry) => entry.reason.code))).toEqual(new Set(['TASK_FAILED']));

  const dryRun = await spawnCli(
    ['dlq', 'replay', '--queue', 'flaky', '--task', 'flaky.until-file', '--dry-run', '--json'],
    { env },
  );
  expect(JSON.parse(dryRun.stdout)).toMatchObject({ dryRun: true, matched: 5, replayed: 0 });

  writeFileSync(gate, 'open');
  const replayed = await spawnCli(
    ['dlq', 'replay', '--queue', 'flaky', '--task', 'flaky.until-file'],
    { env },
  );
  expect(replayed.code, replayed.stderr).toBe(0);
  expect(replayed.stdout.trim()).toBe('replayed 5 of 5 matching dead letter(s) of queue flaky');

  for (const [n, taskId] of taskIds.entries()) {
    const result = await runInProcess([
      'result',
      taskId,
      '--wait',
      '--timeout',
      '15s',
      '--json',
      '--broker-url',
      redis.url,
    ]);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'SUCCESS', payload: n });
  }
  // The unknown task is still dead: the filter left it alone.
  const left = await spawnCli(['dlq', 'list', '--queue', 'flaky', '--json'], { env });
  expect(
    (JSON.parse(left.stdout) as DeadLetterJson[]).map((entry) => [
      entry.envelope.task,
      entry.reason.code,
    ]),
  ).toEqual([['reports.unknown', 'UNKNOWN_TASK']]);
});
