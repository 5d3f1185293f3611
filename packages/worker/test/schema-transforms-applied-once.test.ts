import { defineTask } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createInMemoryStack } from './in-memory-stack';

const schedule = defineTask({
  name: 'meeting.schedule',
  schema: z.object({
    title: z.string().trim(),
    // The producer passes an ISO string; the handler gets epoch ms.
    startsAt: z.string().transform((iso) => Date.parse(iso)),
  }),
  run: (args) => ({ title: args.title, startsAt: args.startsAt, type: typeof args.startsAt }),
});

describe('a task whose schema transforms its arguments', () => {
  it('gets the transformed value in the handler when enqueued through a typed producer', async () => {
    const stack = await createInMemoryStack();
    await stack.startWorker([schedule]);
    const result = await stack.stem.enqueue(schedule, {
      title: '  standup ',
      startsAt: '2030-01-01T09:00:00Z',
    });
    expect(await result.get({ timeoutMs: 5_000 })).toEqual({
      title: 'standup',
      startsAt: Date.parse('2030-01-01T09:00:00Z'),
      type: 'number',
    });
  });

  it('carries the arguments on the wire in the schema input shape', async () => {
    const stack = await createInMemoryStack();
    const published: unknown[] = [];
    await stack.broker.consume({ queue: 'default', prefetch: 1 }, (delivery) =>
      published.push(delivery.envelope.args),
    );
    await stack.stem.enqueue(schedule, { title: 'standup', startsAt: '2030-01-01T09:00:00Z' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(published).toEqual([{ title: 'standup', startsAt: '2030-01-01T09:00:00Z' }]);
  });
});
