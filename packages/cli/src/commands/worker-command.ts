/**
 * `stem worker`: runs a Worker for the app module's tasks until SIGTERM or SIGINT. The
 * first signal drains (stops fetching, hands back unstarted messages, lets running tasks
 * finish within --shutdown-grace-ms); a second one exits at once. Exit codes are the
 * worker's: 0 drained, 3 grace period expired, 4 forced, 1 shutdown failed.
 */
import { WORKER_EXIT_CODES, Worker, type WorkerOptions } from '@stem/worker';
import { CliError } from '../cli-error';
import type { CommandContext } from '../command-line/command-context';
import type { CommandSpec } from '../command-line/command-spec';
import { APP_OPTION, appModuleHref, loadApp } from './load-app';
import { waitForSignals } from './wait-for-signals';
import { WorkerBroker } from './worker-broker';
import { WORKER_OPTIONS } from './worker-options';

function readSettings(context: CommandContext) {
  const app = context.string('app');
  if (app === undefined) {
    throw new CliError(
      'APP_MODULE_INVALID',
      'stem worker needs --app <module> (or STEM_APP): the module that defines the tasks',
    );
  }
  return {
    app,
    queues: context.queues('queues', ['default']),
    concurrency: context.integer('concurrency', { min: 1, max: 10_000 }),
    pool: context.choice('pool', ['inline', 'threads'] as const),
    prefetch: context.integer('prefetch', { min: 1, max: 100_000 }),
    leaseMs: context.integer('lease-ms', { min: 100, max: 43_200_000 }),
    deliveryLimit: context.integer('delivery-limit', { min: 1, max: 1_000 }),
    softTimeLimitMs: context.integer('soft-time-limit-ms', { min: 1, max: 86_400_000 }),
    hardTimeLimitMs: context.integer('hard-time-limit-ms', { min: 1, max: 86_400_000 }),
    shutdownGraceMs: context.integer('shutdown-grace-ms', { min: 0, max: 86_400_000 }),
    heartbeatIntervalMs: context.integer('heartbeat-interval-ms', { min: 100, max: 3_600_000 }),
    resultTtlMs: context.integer('result-ttl-ms', { min: 1_000, max: 315_360_000_000 }),
    workerId: context.string('worker-id'),
  };
}

/** `{ key: value }` without the undefined entries (the options are exact optional types). */
function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as never;
}

async function runWorker(context: CommandContext): Promise<number> {
  const settings = readSettings(context);
  const app = await loadApp(settings.app, context.io.cwd);
  const connection = await context.connect([
    'broker',
    'resultBackend',
    'eventBus',
    'revocationStore',
    'rateLimiter',
    'lockStore',
  ]);
  const { broker, ...shared } = connection.adapters;
  const options: WorkerOptions = {
    ...shared,
    broker: new WorkerBroker(
      broker,
      defined({
        softTimeLimitMs: settings.softTimeLimitMs,
        hardTimeLimitMs: settings.hardTimeLimitMs,
        registry: app.registry,
      }),
    ),
    appModule: appModuleHref(settings.app, context.io.cwd),
    queues: settings.queues,
    ...defined({
      pool: settings.pool,
      concurrency: settings.concurrency,
      prefetch: settings.prefetch,
      leaseMs: settings.leaseMs,
      deliveryLimit: settings.deliveryLimit,
      shutdownGraceMs: settings.shutdownGraceMs,
      heartbeatIntervalMs: settings.heartbeatIntervalMs,
      resultTtlMs: settings.resultTtlMs,
      workerId: settings.workerId,
    }),
    onError: (error) => context.note(`stem worker: ${(error as Error)?.message ?? String(error)}`),
  };
  const worker = new Worker(options);
  try {
    await worker.start();
  } catch (error) {
    await worker.close().catch(() => undefined);
    await connection.close();
    throw error;
  }
  const ready = {
    event: 'ready',
    workerId: worker.workerId,
    queues: settings.queues,
    pool: worker.pool?.kind,
    concurrency: worker.pool?.size,
    tasks: app.registry.names(),
  };
  if (context.json) context.outJson(ready);
  else
    context.out(
      `worker ${ready.workerId} ready: queues ${ready.queues.join(',')}, ${ready.pool} pool of ${ready.concurrency}, tasks ${ready.tasks.join(', ')}`,
    );
  const code = await waitForSignals(context, {
    stop: async () =>
      (await worker.close()) ? WORKER_EXIT_CODES.drained : WORKER_EXIT_CODES.graceExpired,
    onStopping: (signal) =>
      `${signal}: draining (up to ${settings.shutdownGraceMs ?? 30_000} ms; send again to exit now)`,
  });
  await connection.close();
  if (context.json)
    context.outJson({ event: 'stopped', workerId: worker.workerId, exitCode: code });
  else context.out(`worker ${worker.workerId} stopped: ${describeExit(code)}`);
  return code;
}

function describeExit(code: number): string {
  if (code === WORKER_EXIT_CODES.drained) return 'drained, every running task finished';
  if (code === WORKER_EXIT_CODES.graceExpired)
    return 'grace period expired, unfinished tasks handed back';
  if (code === WORKER_EXIT_CODES.forced) return 'forced by a second signal';
  return 'shutdown failed';
}

export const workerCommand: CommandSpec = {
  path: ['worker'],
  summary: "run a worker for an app module's tasks",
  details:
    'Runs until SIGTERM or SIGINT, then drains: exit 0 when every running task finished, 3 when the\ngrace period ran out (unfinished messages are handed back), 4 on a second signal.',
  positionals: [],
  options: { app: APP_OPTION, ...WORKER_OPTIONS },
  examples: [
    'stem worker --app ./dist/tasks.js --broker-url redis://127.0.0.1:6379',
    'stem worker --app ./dist/tasks.js --queues default,emails --concurrency 20 --pool inline',
    'STEM_BROKER_URL=redis://cache:6379 stem worker --app ./dist/tasks.js --shutdown-grace-ms 60000',
  ],
  run: runWorker,
};
