/** Options shared by `stem worker` and the commands that read the same settings. */
import type { OptionSpec } from '../command-line/command-spec';

export const QUEUES_OPTION: OptionSpec = {
  type: 'string',
  multiple: true,
  value: '<names>',
  configurable: true,
  description: 'queues, comma-separated or repeated (env STEM_QUEUES; default: default)',
};

export const WORKER_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  queues: QUEUES_OPTION,
  concurrency: {
    type: 'string',
    value: '<n>',
    configurable: true,
    description: 'tasks run at once (default 10 inline, one per CPU with threads)',
  },
  pool: {
    type: 'string',
    value: '<inline|threads>',
    configurable: true,
    description: 'where handlers run: the main thread or worker_threads (default threads)',
  },
  prefetch: {
    type: 'string',
    value: '<n>',
    configurable: true,
    description: 'messages held per queue: running, waiting and settling (default 4 x concurrency)',
  },
  'lease-ms': {
    type: 'string',
    value: '<ms>',
    configurable: true,
    description: 'lease per delivery, renewed while a task runs (default 30000)',
  },
  'delivery-limit': {
    type: 'string',
    value: '<n>',
    configurable: true,
    description: 'deliveries of one message before it is dead-lettered (default 10)',
  },
  'soft-time-limit-ms': {
    type: 'string',
    value: '<ms>',
    configurable: true,
    description: 'soft time limit for tasks that set none (signal aborted)',
  },
  'hard-time-limit-ms': {
    type: 'string',
    value: '<ms>',
    configurable: true,
    description: 'hard time limit for tasks that set none (task terminated)',
  },
  'shutdown-grace-ms': {
    type: 'string',
    value: '<ms>',
    configurable: true,
    description: 'on SIGTERM/SIGINT, how long running tasks may finish (default 30000)',
  },
  'heartbeat-interval-ms': {
    type: 'string',
    value: '<ms>',
    configurable: true,
    description: 'interval of worker heartbeat events (default 10000)',
  },
  'result-ttl-ms': {
    type: 'string',
    value: '<ms>',
    configurable: true,
    description: 'how long results are kept (default: forever)',
  },
  'worker-id': {
    type: 'string',
    value: '<id>',
    description: 'name of this worker (default host-pid-random)',
  },
};
