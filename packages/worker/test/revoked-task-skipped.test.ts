import { defineTask } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { createInMemoryStack } from './in-memory-stack';

describe('a task revoked before it started', () => {
  it('is skipped, recorded as REVOKED with the reason and acked', async () => {
    const stack = await createInMemoryStack();
    let ran = 0;
    const ship = defineTask({
      name: 'order.ship',
      run: () => {
        ran += 1;
      },
    });
    const revoked = await stack.stem.enqueue(ship, null);
    const kept = await stack.stem.enqueue(ship, null);
    await stack.stem.revoke(revoked.id, { reason: 'order cancelled' });
    const worker = await stack.startWorker([ship]);

    const error = await revoked.get({ timeoutMs: 5_000 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'TASK_REVOKED' });
    expect((error as Error).message).toContain('order cancelled');
    await kept.get({ timeoutMs: 5_000 });
    await worker.close();

    expect(ran).toBe(1);
    expect(await revoked.record()).toMatchObject({
      status: 'REVOKED',
      meta: { note: 'order cancelled' },
    });
    expect(stack.resultBackend.statuses.get(revoked.id)).toEqual(['REVOKED']);
    expect(await kept.status()).toBe('SUCCESS');
    expect(await stack.broker.stats('default')).toMatchObject({ ready: 0, inFlight: 0, dead: 0 });
    expect(worker.outcomes.get('revoked')).toBe(1);
    expect(worker.outcomes.get('succeeded')).toBe(1);
  });
});
