/**
 * The broker conformance suite's entry point: every adapter wires it once, in its
 * `test/conformance.test.ts`, against a real server. Each case gets its own namespace;
 * capabilities the adapter does not declare are checked for a clear refusal, never
 * skipped.
 */
import type { Broker, BrokerCapabilities } from '@stem/core';
import { type CaseResources, describeCases } from '../conformance-case';
import { type BrokerCaseContext, createBrokerCaseContext } from './broker-case-context';
import { brokerConformanceCases } from './broker-cases';

export interface BrokerConformanceOptions {
  /** Adapter name shown in the test titles, e.g. `redis`. */
  name: string;
  /**
   * A fresh broker in `namespace`. Brokers opened with the same namespace must share
   * their queues, as two processes on one server do; different namespaces must not.
   */
  open: (namespace: string) => Promise<Broker> | Broker;
  /** The capabilities the adapter declares. @default each case's first broker's own */
  capabilities?: BrokerCapabilities;
}

/** Registers every broker conformance case as a vitest test under `<name> broker conformance`. */
export function describeBrokerConformance(options: BrokerConformanceOptions): void {
  describeCases<Broker, BrokerCaseContext>(
    `${options.name} broker conformance`,
    brokerConformanceCases,
    options.open,
    (resources: CaseResources<Broker>) => createBrokerCaseContext(resources, options.capabilities),
  );
}
