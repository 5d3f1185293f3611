export type { AfterTaskHook, SettledTask } from './after-task';
export {
  isTaskDefinition,
  type LoadedApp,
  loadAppModule,
  resolveAppModule,
} from './app/load-app-module';
export {
  type ExecutionOutcome,
  type ExecutionServices,
  executeDelivery,
} from './execute-delivery';
export { type IdempotencyGate, idempotencyRecordId, passIdempotencyGate } from './idempotency';
export { InlinePool, type InlinePoolOptions } from './pool/inline-pool';
export type { PoolJob, PoolJobHooks, PoolOutcome, TaskPool } from './pool/task-pool';
export { ThreadPool, type ThreadPoolOptions } from './pool/thread-pool';
export { closeOnSignals, type ShutdownSignalOptions, WORKER_EXIT_CODES } from './shutdown-signals';
export { type ResultFields, TaskReporter, type TaskReporterOptions } from './task-reporter';
export { Worker, type WorkerOptions } from './worker';
