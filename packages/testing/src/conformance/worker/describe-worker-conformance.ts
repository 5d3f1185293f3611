/**
 * The worker conformance suite's entry point: every broker adapter wires it once with
 * its adapters and the real Worker, so each broker proves the worker's promises (ack
 * after the result, counted retries, leases kept alive, graceful close…) hold on it.
 * The worker comes by injection: @stem/testing must not depend on @stem/worker.
 */
import { type CaseResources, describeCases } from '../conformance-case';
import {
  type ConformanceWorker,
  type ConformanceWorkerOptions,
  createWorkerCaseContext,
  openWorkerCaseSession,
  type WorkerCaseContext,
  type WorkerCaseSession,
  type WorkerConformanceAdapters,
} from './worker-case-context';
import { workerConformanceCases } from './worker-cases';

export interface WorkerConformanceOptions {
  /** Shown in the test titles, e.g. `redis`. */
  name: string;
  /**
   * Fresh adapters in `namespace`. Adapters opened with the same namespace must share
   * their queues and records, as two processes on one server do; different namespaces
   * must not.
   */
  openAdapters: (
    namespace: string,
  ) => WorkerConformanceAdapters | Promise<WorkerConformanceAdapters>;
  /** Builds an unstarted worker, e.g. `(options) => new Worker(options)`. */
  createWorker: (
    options: ConformanceWorkerOptions,
  ) => ConformanceWorker | Promise<ConformanceWorker>;
}

/** Registers every worker conformance case as a vitest test under `<name> worker conformance`. */
export function describeWorkerConformance(options: WorkerConformanceOptions): void {
  describeCases<WorkerCaseSession, WorkerCaseContext>(
    `${options.name} worker conformance`,
    workerConformanceCases,
    (namespace) => openWorkerCaseSession(options.openAdapters, namespace),
    (resources: CaseResources<WorkerCaseSession>) =>
      createWorkerCaseContext(resources, options.createWorker),
  );
}
