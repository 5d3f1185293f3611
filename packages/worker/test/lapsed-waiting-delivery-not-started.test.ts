// A worker whose event loop is blocked past a lease cannot keep the leases of the
// deliveries waiting in its prefetch alive; the broker hands those out again. Once the
// loop runs again, such a delivery must not be started by the stalled worker as well:
// it runs once, from the redelivery.
import { defineTask } from '@stem/core';
import { sleep } from '@stem/testing';
import { expect, it } from 'vitest';
import { createInMemoryStack } from './in-memory-stack';

const LEASE_MS = 300;

it('does not start a waiting delivery whose lease lapsed while the process was stalled', async () => {
  const stack = await createInMemoryStack();
  let stalled = false;
  const blocker = defineTask({
    name: 'stall.blocker',
    run: () => {
      if (stalled) return;
      stalled = true;
      // Synchronous: no timer, lease keeper included, runs until it ends.
      const until = Date.now() + 2 * LEASE_MS;
      while (Date.now() < until) {}
    },
  });
  const waiterRuns: number[] = [];
  const waiter = defineTask({
    name: 'stall.waiter',
    run: () => {
      waiterRuns.push(Date.now());
    },
  });
  await stack.stem.enqueue(blocker, null);
  const waited = await stack.stem.enqueue(waiter, null);
  await stack.startWorker([blocker, waiter], { concurrency: 1, prefetch: 2, leaseMs: LEASE_MS });

  await waited.get({ timeoutMs: 5_000 });
  // Long enough for a second run, had the stale delivery been started too.
  await sleep(3 * LEASE_MS);
  expect(waiterRuns).toHaveLength(1);
  expect(await stack.broker.stats('default')).toMatchObject({ ready: 0, inFlight: 0 });
});
