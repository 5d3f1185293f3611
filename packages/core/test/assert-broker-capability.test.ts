// assertBrokerCapability refuses exactly the requests a declaration cannot honour,
// naming the adapter and the capability, and accepts everything else.
import assert from 'node:assert/strict';
import {
  assertBrokerCapability,
  type BrokerCapabilities,
  DEFAULT_DELIVERY_LIMIT,
  DEFAULT_LEASE_MS,
} from '@stem/core';
import { describe, it } from 'vitest';

type BrokerCapabilityRequest = Parameters<typeof assertBrokerCapability>[1];

const base: BrokerCapabilities = {
  adapter: 'probe',
  delayedDelivery: { native: true, maxDelayMs: 900_000 },
  maxLeaseMs: 43_200_000,
  maxEnvelopeBytes: 1_048_576,
  priorityLevels: 1,
  countsDeliveriesNatively: false,
  ordering: 'best-effort',
};

function refusal(capabilities: BrokerCapabilities, request: BrokerCapabilityRequest) {
  try {
    assertBrokerCapability(capabilities, request);
  } catch (error) {
    return error as { code: string; details: Record<string, unknown>; message: string };
  }
  return undefined;
}

describe('assertBrokerCapability', () => {
  it('has the documented defaults', () => {
    assert.equal(DEFAULT_LEASE_MS, 30_000);
    assert.equal(DEFAULT_DELIVERY_LIMIT, 10);
  });

  it('refuses a delay over maxDelayMs and accepts one at it', () => {
    const error = refusal(base, { delayMs: 900_001 });
    assert.equal(error?.code, 'CAPABILITY_NOT_SUPPORTED');
    assert.deepEqual(error?.details, { adapter: 'probe', capability: 'delayed delivery' });
    assert.match(error?.message ?? '', /probe does not support delayed delivery/);
    assert.equal(refusal(base, { delayMs: 900_000 }), undefined);
  });

  it('refuses any positive delay without delayed delivery, but not a past due time', () => {
    const none = { ...base, delayedDelivery: null };
    assert.equal(refusal(none, { delayMs: 1 })?.code, 'CAPABILITY_NOT_SUPPORTED');
    assert.equal(refusal(none, { delayMs: 0 }), undefined);
    assert.equal(refusal(none, { delayMs: -5_000 }), undefined);
    assert.equal(
      refusal(
        { ...base, delayedDelivery: { native: true, maxDelayMs: null } },
        {
          delayMs: 10 * 365 * 86_400_000,
        },
      ),
      undefined,
    );
  });

  it('refuses a priority at or above the declared levels', () => {
    assert.equal(refusal(base, { priority: 0 }), undefined);
    assert.equal(refusal(base, { priority: 1 })?.code, 'CAPABILITY_NOT_SUPPORTED');
    const three = { ...base, priorityLevels: 3 };
    assert.equal(refusal(three, { priority: 2 }), undefined);
    assert.equal(refusal(three, { priority: 3 })?.details.capability, 'priorities');
  });

  it('refuses a lease over maxLeaseMs', () => {
    assert.equal(refusal(base, { leaseMs: 43_200_000 }), undefined);
    assert.equal(refusal(base, { leaseMs: 43_200_001 })?.code, 'CAPABILITY_NOT_SUPPORTED');
  });
});
