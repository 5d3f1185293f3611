import {
  hasErrorCode,
  InMemoryLockStore,
  InMemoryLockStoreState,
  InMemoryRateLimiter,
  InMemoryRateLimiterState,
  InMemoryResultBackend,
  InMemoryResultBackendState,
  InMemoryScheduleStore,
  InMemoryScheduleStoreState,
  type NewScheduleEntry,
  type ResultRecord,
  type ScheduleChange,
} from '@stem/core';
import { describe, expect, it } from 'vitest';

const isClosed = (error: unknown) => hasErrorCode(error, 'CLOSED');
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function record(taskId: string, status: ResultRecord['status']): ResultRecord {
  return { taskId, status, meta: {}, updatedAt: Date.now() };
}

const entry: NewScheduleEntry = {
  id: 'nightly',
  taskName: 'report',
  spec: { kind: 'cron', expression: '0 3 * * *' },
  args: null,
  enabled: true,
  timezone: 'UTC',
  jitterMs: 0,
  jitterMode: 'random',
  missedRunPolicy: { kind: 'latest' },
  overlapPolicy: 'skip',
};

describe('closing one in-memory instance detaches only that instance', () => {
  it('result backend: pending waits reject with CLOSED; the other instance still wakes', async () => {
    const state = new InMemoryResultBackendState();
    const closing = new InMemoryResultBackend({ state });
    const staying = new InMemoryResultBackend({ state });
    const dropped = closing.waitFor('t-1');
    const kept = staying.waitFor('t-1');
    await closing.close();
    await expect(dropped).rejects.toSatisfy(isClosed);
    await expect(closing.get('t-1')).rejects.toSatisfy(isClosed);

    await staying.set(record('t-1', 'SUCCESS'));
    await expect(kept).resolves.toMatchObject({ taskId: 't-1', status: 'SUCCESS' });
    expect(state.terminalListeners.size).toBe(0);
  });

  it('result backend: updateMeta on an unknown task is NOT_FOUND', async () => {
    const backend = new InMemoryResultBackend();
    await expect(backend.updateMeta('t-unknown', { workerId: 'w' })).rejects.toSatisfy((error) =>
      hasErrorCode(error, 'NOT_FOUND'),
    );
  });

  it('schedule store: watchers of the closed instance stop; data stays for others', async () => {
    const state = new InMemoryScheduleStoreState();
    const closing = new InMemoryScheduleStore({ state });
    const staying = new InMemoryScheduleStore({ state });
    const seen: ScheduleChange[] = [];
    await closing.watch((change) => seen.push(change));
    await staying.create(entry);
    await settle();
    await closing.close();
    await staying.update('nightly', { enabled: false });
    await settle();

    expect(seen).toEqual([{ type: 'created', entryId: 'nightly', version: 1 }]);
    await expect(closing.get('nightly')).rejects.toSatisfy(isClosed);
    expect((await staying.get('nightly'))?.version).toBe(2);
  });

  it('rate limiter and lock store reject with CLOSED after close', async () => {
    const limiter = new InMemoryRateLimiter({ state: new InMemoryRateLimiterState() });
    await limiter.close();
    await expect(limiter.acquire('k', { limit: 1, periodMs: 1_000 })).rejects.toSatisfy(isClosed);

    const state = new InMemoryLockStoreState();
    const closing = new InMemoryLockStore({ state });
    const staying = new InMemoryLockStore({ state });
    const held = await closing.acquire('k', 'crashed', 10_000);
    await closing.close();
    await expect(closing.acquire('other', 'x', 1_000)).rejects.toSatisfy(isClosed);
    // Like a crashed process, a closed instance's lock stays until it lapses.
    expect(held).toBeDefined();
    expect(await staying.acquire('k', 'successor', 1_000)).toBeUndefined();
  });
});
