/**
 * Registers the result-backend conformance suite under vitest. An adapter's
 * `test/conformance.test.ts` calls it once with a factory for fresh instances.
 */
import type { ResultBackend } from '@stem/core';
import { describeCases } from '../conformance-case';
import { resultBackendConformanceCases } from './result-backend-cases';

export interface ResultBackendConformanceOptions {
  /** Shown in the suite's title, e.g. `RedisResultBackend`. */
  name: string;
  /**
   * A new instance in `namespace`. Instances opened with the same namespace must share
   * data like two processes on one server; different namespaces must not.
   */
  open: (namespace: string) => ResultBackend | Promise<ResultBackend>;
}

export function describeResultBackendConformance(options: ResultBackendConformanceOptions): void {
  describeCases(
    `${options.name} result backend conformance`,
    resultBackendConformanceCases,
    options.open,
    (resources) => resources,
  );
}
