export { type ExecutionOutcome, type ExecutionServices, executeDelivery } from './execute-delivery';
export { Worker, type WorkerOptions } from './worker';
