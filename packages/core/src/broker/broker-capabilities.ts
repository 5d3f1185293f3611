/**
 * Broker defaults and the one check every adapter runs before honouring a request
 * that depends on a declared capability (a delay, a priority, a lease length). A
 * request the adapter cannot honour fails loudly with CAPABILITY_NOT_SUPPORTED instead
 * of being quietly degraded.
 */
import { CapabilityNotSupportedError } from '../errors/errors';
import type { BrokerCapabilities } from './broker';

/** Lease length used when a consumer does not choose one, in ms. */
export const DEFAULT_LEASE_MS = 30_000;

/** Most deliveries of one message when a consumer does not choose a limit. */
export const DEFAULT_DELIVERY_LIMIT = 10;

/**
 * What a caller is about to ask of a broker. Every field is optional; only the ones
 * given are checked.
 */
export interface BrokerCapabilityRequest {
  /** A delivery delay in ms from now (publish with `notBeforeAt`, nack with `delayMs`). */
  delayMs?: number;
  /** A message priority, 0 (lowest) to 9. */
  priority?: number;
  /** A lease length in ms (consume's `leaseMs`, extendLease's `leaseMs`). */
  leaseMs?: number;
}

/**
 * Throws CapabilityNotSupportedError, naming the adapter and the capability, when
 * `capabilities` cannot honour `request`:
 * - a positive `delayMs` on a broker without delayed delivery, or over its `maxDelayMs`;
 * - a `priority` at or above `priorityLevels` (so with 1 level any priority above 0);
 * - a `leaseMs` over `maxLeaseMs`.
 * A zero or negative delay means "now" and is always accepted.
 */
export function assertBrokerCapability(
  capabilities: BrokerCapabilities,
  request: BrokerCapabilityRequest,
): void {
  const { adapter } = capabilities;
  const { delayMs, priority, leaseMs } = request;
  if (delayMs !== undefined && delayMs > 0) {
    const delayed = capabilities.delayedDelivery;
    if (delayed === null) {
      throw new CapabilityNotSupportedError(
        adapter,
        'delayed delivery',
        `a delay of ${delayMs} ms was requested; hold the message and publish it when due`,
      );
    }
    if (delayed.maxDelayMs !== null && delayMs > delayed.maxDelayMs) {
      throw new CapabilityNotSupportedError(
        adapter,
        'delayed delivery',
        `a delay of ${delayMs} ms is over the maximum of ${delayed.maxDelayMs} ms`,
      );
    }
  }
  if (priority !== undefined && priority > 0 && priority >= capabilities.priorityLevels) {
    throw new CapabilityNotSupportedError(
      adapter,
      'priorities',
      `priority ${priority} was requested but only ${capabilities.priorityLevels} level(s) (0 to ${capabilities.priorityLevels - 1}) exist`,
    );
  }
  if (leaseMs !== undefined && leaseMs > capabilities.maxLeaseMs) {
    throw new CapabilityNotSupportedError(
      adapter,
      'leases this long',
      `a lease of ${leaseMs} ms is over the maximum of ${capabilities.maxLeaseMs} ms`,
    );
  }
}
