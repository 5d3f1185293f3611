import {
  hasErrorCode,
  InMemoryRevocationStore,
  InMemoryRevocationStoreState,
  type Revocation,
} from '@stem/core';
import { describe, expect, it } from 'vitest';

function revocation(taskId: string, lifetimeMs: number, reason = 'operator'): Revocation {
  const revokedAt = Date.now();
  return { taskId, reason, terminate: false, revokedAt, expiresAt: revokedAt + lifetimeMs };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('InMemoryRevocationStore', () => {
  it('shares revocations between instances on one state, as copies', async () => {
    const state = new InMemoryRevocationStoreState();
    const cli = new InMemoryRevocationStore({ state });
    const worker = new InMemoryRevocationStore({ state });
    const revoked = revocation('t-1', 60_000);
    await cli.revoke(revoked);
    revoked.reason = 'mutated after revoke';

    const read = await worker.get('t-1');
    expect(read?.reason).toBe('operator');
    if (read !== undefined) read.terminate = true;
    expect((await worker.get('t-1'))?.terminate).toBe(false);
    expect(await worker.get('t-unknown')).toBeUndefined();
    expect(await new InMemoryRevocationStore().get('t-1')).toBeUndefined();
  });

  it('lists revocations in force in revoke order, a repeat replacing and moving to the end', async () => {
    const store = new InMemoryRevocationStore();
    await store.revoke(revocation('t-1', 60_000));
    await store.revoke(revocation('t-2', 60_000));
    await store.revoke({ ...revocation('t-1', 60_000, 'again'), terminate: true });
    const listed = await store.list();
    expect(listed.map((item) => [item.taskId, item.reason, item.terminate])).toEqual([
      ['t-2', 'operator', false],
      ['t-1', 'again', true],
    ]);
  });

  it('drops a revocation once it expires', async () => {
    const store = new InMemoryRevocationStore();
    await store.revoke(revocation('t-short', 150));
    await store.revoke(revocation('t-long', 60_000));
    expect((await store.get('t-short'))?.taskId).toBe('t-short');
    await sleep(400);
    expect(await store.get('t-short')).toBeUndefined();
    expect((await store.list()).map((item) => item.taskId)).toEqual(['t-long']);
  });

  it('rejects with CLOSED after close, leaving other instances working', async () => {
    const state = new InMemoryRevocationStoreState();
    const closed = new InMemoryRevocationStore({ state });
    const open = new InMemoryRevocationStore({ state });
    await closed.revoke(revocation('t-1', 60_000));
    await closed.close();
    await expect(closed.get('t-1')).rejects.toSatisfy((error) => hasErrorCode(error, 'CLOSED'));
    expect((await open.get('t-1'))?.taskId).toBe('t-1');
  });
});
