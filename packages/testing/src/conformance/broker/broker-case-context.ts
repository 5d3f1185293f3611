/**
 * What every broker conformance case receives: a way to open broker instances in the
 * case's own namespace (each one like a separate process), unique queue names, and the
 * capabilities the adapter declares, which decide the positive or negative branch of
 * capability-dependent cases.
 */
import type { Broker, BrokerCapabilities } from '@stem/core';
import type { CaseResources, ConformanceCase } from '../conformance-case';

export interface BrokerCaseContext {
  /** Another broker instance on the case's namespace; closed when the case ends. */
  open(): Promise<Broker>;
  /** A queue name no other case uses, e.g. `stem-conf-1a2b3c4d.q1.orders`. */
  queue(suffix?: string): string;
  /**
   * The adapter's declared capabilities: those given to the suite, or else those of the
   * first broker the case opened (read this after `open()` in that case).
   */
  readonly capabilities: BrokerCapabilities;
}

/**
 * Builds the context for one case run.
 * @param declared capabilities the adapter declares; @default the first opened broker's
 */
export function createBrokerCaseContext(
  resources: CaseResources<Broker>,
  declared?: BrokerCapabilities,
): BrokerCaseContext {
  let queues = 0;
  let first: Broker | undefined;
  return {
    async open() {
      const broker = await resources.open();
      first ??= broker;
      return broker;
    },
    queue(suffix) {
      queues += 1;
      const tail = suffix === undefined ? '' : `.${suffix}`;
      return `${resources.namespace}.q${queues}${tail}`;
    },
    get capabilities() {
      const capabilities = declared ?? first?.capabilities;
      if (capabilities === undefined) {
        throw new Error('a case read capabilities before opening a broker');
      }
      return capabilities;
    },
  };
}

/** The type of a broker conformance case. */
export type BrokerCase = ConformanceCase<BrokerCaseContext>;
