import { eventually, RecordingBroker } from '@stem/testing';
import { closeOnSignals, WORKER_EXIT_CODES } from '@stem/worker';
import { describe, expect, it } from 'vitest';
import {
  double,
  politeSleeper,
  spin,
  THREAD_PROBE_APP,
  threadProbeTasks,
} from './fixtures/thread-probe-app';
import { createInMemoryStack } from './in-memory-stack';

describe('a thread-pool worker stopped by a signal', () => {
  it('exits 0 once its running task finished within the grace period', async () => {
    const stack = await createInMemoryStack();
    const broker = new RecordingBroker(stack.broker);
    const worker = await stack.startWorker(threadProbeTasks, {
      broker,
      appModule: THREAD_PROBE_APP,
      pool: 'threads',
      concurrency: 1,
    });
    const exits: number[] = [];
    const remove = closeOnSignals(worker, {
      exit: (code) => exits.push(code),
      signals: ['SIGUSR2'],
    });
    try {
      const result = await stack.stem.enqueue(politeSleeper, { forMs: 300 });
      await eventually('the task to start', async () => (await result.status()) === 'STARTED');
      process.emit('SIGUSR2', 'SIGUSR2');

      await eventually('the exit', () => exits.length > 0, 15_000);
      expect(exits).toEqual([WORKER_EXIT_CODES.drained]);
      expect(await result.status()).toBe('SUCCESS');
      expect(broker.settlementsOf(result.id).map((settlement) => settlement.kind)).toEqual(['ack']);
      expect(await stack.broker.stats('default')).toMatchObject({ ready: 0, inFlight: 0, dead: 0 });
    } finally {
      remove();
    }
    expect(stack.workerErrors).toEqual([]);
  }, 30_000);

  it('exits 3 when the grace period runs out, with the unfinished message ready again and not acked', async () => {
    const stack = await createInMemoryStack();
    const broker = new RecordingBroker(stack.broker);
    const worker = await stack.startWorker(threadProbeTasks, {
      broker,
      appModule: THREAD_PROBE_APP,
      pool: 'threads',
      concurrency: 2,
      shutdownGraceMs: 200,
    });
    const exits: number[] = [];
    const remove = closeOnSignals(worker, {
      exit: (code) => exits.push(code),
      signals: ['SIGUSR2'],
    });
    try {
      const quick = await stack.stem.enqueue(double, { n: 4 });
      expect(await quick.get({ timeoutMs: 15_000 })).toBe(8);
      // Spinning ignores its signal: only terminating the thread stops it.
      const stubborn = await stack.stem.enqueue(spin, { forMs: 10_000 });
      await eventually('the spin to start', async () => (await stubborn.status()) === 'STARTED');
      process.emit('SIGUSR2', 'SIGUSR2');

      await eventually('the exit', () => exits.length > 0, 15_000);
      expect(exits).toEqual([WORKER_EXIT_CODES.graceExpired]);
      expect(await stack.broker.stats('default')).toMatchObject({
        ready: 1,
        delayed: 0,
        inFlight: 0,
        dead: 0,
      });
      expect(broker.settlementsOf(quick.id).map((settlement) => settlement.kind)).toEqual(['ack']);
      expect(broker.settlementsOf(stubborn.id).map((settlement) => settlement.kind)).toEqual([
        'release',
      ]);
      expect(await stubborn.status()).toBe('STARTED');
    } finally {
      remove();
    }
    expect(stack.workerErrors).toEqual([]);
  }, 30_000);
});
