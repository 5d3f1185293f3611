// End to end through the real binary and a real Redis: a worker started by `stem worker`
// runs tasks published by `stem enqueue` (by name, and validated with --app), `stem
// result --wait` reads their results, `stem observe workers` sees its heartbeats, and
// SIGTERM drains it: the running task finishes and the process exits 0.
import { EXIT_CODES } from '@stem/cli';
import { eventually } from '@stem/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CliProcess, runInProcess, spawnCli, TEST_APP } from './support/cli-runner';
import { RedisNamespace } from './support/redis-namespace';

let redis: RedisNamespace;
let worker: CliProcess | undefined;

beforeAll(async () => {
  redis = await RedisNamespace.open();
});
afterAll(async () => {
  await worker?.stop();
  await redis.close();
});

it(
  'runs enqueued tasks, reports heartbeats and drains on SIGTERM',
  { timeout: 60_000 },
  async () => {
    const env = { STEM_BROKER_URL: redis.url };
    worker = new CliProcess(
      [
        'worker',
        '--app',
        TEST_APP,
        '--pool',
        'inline',
        '--concurrency',
        '4',
        '--heartbeat-interval-ms',
        '300',
      ],
      { env },
    );
    await worker.waitFor(/worker \S+ ready: queues default, inline pool of 4/);

    const [added, validated] = await Promise.all([
      spawnCli(['enqueue', 'math.add', '--args', '{"a":2,"b":40}'], { env }),
      spawnCli(
        ['enqueue', 'math.add', '--args', '{"a":1,"b":1}', '--app', TEST_APP, '--priority', '9'],
        { env },
      ),
    ]);
    expect([added.code, validated.code], `${added.stderr}${validated.stderr}`).toEqual([0, 0]);
    const addId = added.stdout.trim();

    const [addResult, validatedResult, workers] = await Promise.all([
      spawnCli(['result', addId, '--wait', '--timeout', '20s', '--json'], { env }),
      spawnCli(['result', validated.stdout.trim(), '--wait', '--timeout', '20s', '--json'], {
        env,
      }),
      spawnCli(['observe', 'workers', '--listen', '1s', '--json'], { env }),
    ]);
    expect(addResult.code, addResult.stderr).toBe(0);
    expect(JSON.parse(addResult.stdout)).toMatchObject({
      taskId: addId,
      status: 'SUCCESS',
      payload: 42,
    });
    expect(JSON.parse(validatedResult.stdout)).toMatchObject({ status: 'SUCCESS', payload: 2 });
    const heard = JSON.parse(workers.stdout) as Array<{ pid: number; queues: string[] }>;
    expect(heard.map((entry) => entry.pid)).toEqual([worker.child.pid]);

    // SIGTERM while a 3 s task runs: it finishes, then the worker exits 0. (The status is
    // polled in-process: a spawned `stem result` per poll would be too slow to catch it.)
    const sleeping = await spawnCli(['enqueue', 'sleep.ms', '--args', '{"ms":3000}', '--json'], {
      env,
    });
    const sleepId = (JSON.parse(sleeping.stdout) as { taskId: string }).taskId;
    await eventually(
      'the sleep task to start',
      async () => {
        const status = await runInProcess(['result', sleepId, '--json', '--broker-url', redis.url]);
        return (JSON.parse(status.stdout) as { status: string }).status === 'STARTED';
      },
      10_000,
      50,
    );
    worker.signal('SIGTERM');
    expect(await worker.exited, worker.stderr).toBe(EXIT_CODES.ok);
    expect(worker.stderr).toContain('SIGTERM: draining');
    expect(worker.stdout).toMatch(/stopped: drained, every running task finished/);
    const finished = await spawnCli(['result', sleepId, '--json'], { env });
    expect(JSON.parse(finished.stdout)).toMatchObject({ status: 'SUCCESS', payload: 3000 });
  },
);
