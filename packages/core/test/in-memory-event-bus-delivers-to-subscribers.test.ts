import {
  hasErrorCode,
  InMemoryEventBus,
  InMemoryEventBusState,
  type StemEvent,
  type TaskProgressEvent,
} from '@stem/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

function progressEvent(taskId: string): TaskProgressEvent {
  return {
    type: 'task.progress',
    at: Date.now(),
    taskId,
    taskName: 'report',
    progress: { fraction: 0.5, reportedAt: Date.now() },
  };
}

const revokeEvent: StemEvent = {
  type: 'task.revoke-requested',
  at: 1,
  taskId: 't-revoked',
  reason: 'operator',
  terminate: false,
};

/** Lets queued deliveries run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('InMemoryEventBus', () => {
  afterEach(() => vi.restoreAllMocks());

  it('delivers asynchronously to subscribers of every instance sharing the state, by type', async () => {
    const state = new InMemoryEventBusState();
    const publisher = new InMemoryEventBus({ state });
    const dashboard = new InMemoryEventBus({ state });
    const all: StemEvent[] = [];
    const revokes: StemEvent[] = [];
    await dashboard.subscribe((event) => all.push(event));
    await dashboard.subscribe((event) => revokes.push(event), ['task.revoke-requested']);

    const publishing = publisher.publish(progressEvent('t-1'));
    expect(all).toEqual([]);
    await publishing;
    await publisher.publish(revokeEvent);
    await settle();

    expect(all.map((event) => event.type)).toEqual(['task.progress', 'task.revoke-requested']);
    expect(revokes).toEqual([revokeEvent]);
    expect(revokes[0]).not.toBe(revokeEvent);
  });

  it('gives each subscriber its own copy of the event', async () => {
    const bus = new InMemoryEventBus();
    const seen: TaskProgressEvent[] = [];
    await bus.subscribe((event) => {
      if (event.type === 'task.progress') {
        event.taskId = 'mutated by the first subscriber';
        seen.push(event);
      }
    });
    await bus.subscribe((event) => {
      if (event.type === 'task.progress') seen.push(event);
    });
    await bus.publish(progressEvent('t-copy'));
    await settle();
    expect(seen.map((event) => event.taskId)).toEqual([
      'mutated by the first subscriber',
      't-copy',
    ]);
  });

  it('stops delivery on unsubscribe and on close of the subscribing instance only', async () => {
    const state = new InMemoryEventBusState();
    const publisher = new InMemoryEventBus({ state });
    const leaving = new InMemoryEventBus({ state });
    const staying = new InMemoryEventBus({ state });
    const left: StemEvent[] = [];
    const unsubscribed: StemEvent[] = [];
    const stayed: StemEvent[] = [];
    await leaving.subscribe((event) => left.push(event));
    const unsubscribe = await staying.subscribe((event) => unsubscribed.push(event));
    await staying.subscribe((event) => stayed.push(event));

    await unsubscribe();
    await leaving.close();
    await publisher.publish(revokeEvent);
    await settle();

    expect(left).toEqual([]);
    expect(unsubscribed).toEqual([]);
    expect(stayed).toEqual([revokeEvent]);
    await expect(leaving.publish(revokeEvent)).rejects.toSatisfy((error) =>
      hasErrorCode(error, 'CLOSED'),
    );
    await expect(leaving.subscribe(() => undefined)).rejects.toSatisfy((error) =>
      hasErrorCode(error, 'CLOSED'),
    );
  });

  it('keeps delivering to others when a subscriber throws, and reports it as a warning', async () => {
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const bus = new InMemoryEventBus();
    const received: StemEvent[] = [];
    await bus.subscribe(() => {
      throw new Error('listener bug');
    });
    await bus.subscribe((event) => received.push(event));
    await bus.publish(revokeEvent);
    await settle();
    expect(received).toEqual([revokeEvent]);
    expect(String(warning.mock.calls[0]?.[0])).toContain('listener bug');
  });

  it('keeps separate states apart', async () => {
    const one = new InMemoryEventBus();
    const two = new InMemoryEventBus();
    const received: StemEvent[] = [];
    await two.subscribe((event) => received.push(event));
    await one.publish(revokeEvent);
    await settle();
    expect(received).toEqual([]);
  });
});
