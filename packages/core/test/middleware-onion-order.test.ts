import {
  defineTask,
  type Envelope,
  type ExecuteContext,
  type Middleware,
  runExecuteMiddleware,
  runPublishMiddleware,
  type TaskContext,
} from '@stem/core';
import { describe, expect, it } from 'vitest';

function envelope(headers: Record<string, string> = {}): Envelope {
  return {
    v: 1,
    id: 'task-1',
    task: 'email.send',
    args: { to: 'a@example.com' },
    queue: 'default',
    priority: 0,
    attempt: 1,
    maxRetries: 3,
    createdAt: 1_700_000_000_000,
    headers,
  };
}

function execution(): ExecuteContext {
  const task = defineTask({ name: 'math.add', run: (args: { a: number; b: number }) => args.a });
  const context: TaskContext = {
    taskId: 'task-1',
    taskName: task.name,
    queue: 'default',
    attempt: 1,
    signal: new AbortController().signal,
    headers: {},
    envelope: envelope(),
    reportProgress: async () => {},
  };
  return { task, args: { a: 1, b: 2 }, context };
}

/** A recording `send`: what reached the broker, in order. */
function recordingSend() {
  const sent: Envelope[] = [];
  return { sent, send: async (final: Envelope) => void sent.push(final) };
}

describe('publish middleware', () => {
  it('runs hooks in the order listed, then sends once', async () => {
    const order: string[] = [];
    const { sent, send } = recordingSend();
    const middleware: Middleware[] = ['first', 'second', 'third'].map((name) => ({
      name,
      publish: async (current, next) => {
        order.push(`${name}:before`);
        await next(current);
        order.push(`${name}:after`);
      },
    }));
    await runPublishMiddleware(middleware, envelope(), async (final) => {
      order.push('send');
      await send(final);
    });
    expect(order).toEqual([
      'first:before',
      'second:before',
      'third:before',
      'send',
      'third:after',
      'second:after',
      'first:after',
    ]);
    expect(sent).toHaveLength(1);
  });

  it('skips middleware that has no publish hook', async () => {
    const { sent, send } = recordingSend();
    const middleware: Middleware[] = [
      { name: 'execute-only', execute: (_execution, next) => next() },
      { name: 'tagger', publish: (current, next) => next({ ...current, priority: 7 }) },
    ];
    await runPublishMiddleware(middleware, envelope(), send);
    expect(sent.map((final) => final.priority)).toEqual([7]);
  });

  it('sends straight away with no middleware', async () => {
    const { sent, send } = recordingSend();
    const original = envelope({ a: '1' });
    await runPublishMiddleware([], original, send);
    expect(sent).toEqual([original]);
  });

  it('lets each hook change headers, and later hooks and the broker see the change', async () => {
    const { sent, send } = recordingSend();
    const seenBySecond: Array<Record<string, string>> = [];
    const middleware: Middleware[] = [
      {
        name: 'trace',
        publish: (current, next) =>
          next({ ...current, headers: { ...current.headers, traceparent: '00-abc-def-01' } }),
      },
      {
        name: 'tenant',
        publish: (current, next) => {
          seenBySecond.push({ ...current.headers });
          return next({ ...current, headers: { ...current.headers, tenant: 'acme' } });
        },
      },
    ];
    await runPublishMiddleware(middleware, envelope({ origin: 'test' }), send);
    expect(seenBySecond).toEqual([{ origin: 'test', traceparent: '00-abc-def-01' }]);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.headers).toEqual({
      origin: 'test',
      traceparent: '00-abc-def-01',
      tenant: 'acme',
    });
  });

  it('refuses a message when a hook throws: nothing is sent and the caller sees the error', async () => {
    const { sent, send } = recordingSend();
    const reachedLater: string[] = [];
    const middleware: Middleware[] = [
      {
        name: 'quota',
        publish: async (current) => {
          throw new Error(`quota exceeded for ${current.task}`);
        },
      },
      {
        name: 'later',
        publish: (current, next) => {
          reachedLater.push(current.id);
          return next(current);
        },
      },
    ];
    await expect(runPublishMiddleware(middleware, envelope(), send)).rejects.toThrow(
      'quota exceeded for email.send',
    );
    expect(sent).toEqual([]);
    expect(reachedLater).toEqual([]);
  });

  it('refuses a message when a hook returns without calling next', async () => {
    const { sent, send } = recordingSend();
    const middleware: Middleware[] = [{ name: 'drop', publish: async () => {} }];
    await runPublishMiddleware(middleware, envelope(), send);
    expect(sent).toEqual([]);
  });

  it('passes a send failure back out through every hook', async () => {
    const observed: string[] = [];
    const middleware: Middleware[] = [
      {
        name: 'observer',
        publish: async (current, next) => {
          try {
            await next(current);
          } catch (error) {
            observed.push((error as Error).message);
            throw error;
          }
        },
      },
    ];
    const failingSend = async () => {
      throw new Error('broker unavailable');
    };
    await expect(runPublishMiddleware(middleware, envelope(), failingSend)).rejects.toThrow(
      'broker unavailable',
    );
    expect(observed).toEqual(['broker unavailable']);
  });
});

describe('execute middleware', () => {
  it('wraps the task in onion order: the first listed is outermost', async () => {
    const order: string[] = [];
    const middleware: Middleware[] = ['outer', 'middle', 'inner'].map((name) => ({
      name,
      execute: async (_execution, next) => {
        order.push(`${name}:before`);
        const result = await next();
        order.push(`${name}:after`);
        return result;
      },
    }));
    const result = await runExecuteMiddleware(middleware, execution(), async () => {
      order.push('run');
      return 'done';
    });
    expect(result).toBe('done');
    expect(order).toEqual([
      'outer:before',
      'middle:before',
      'inner:before',
      'run',
      'inner:after',
      'middle:after',
      'outer:after',
    ]);
  });

  it('gives every hook the task, arguments and context', async () => {
    const seen: Array<[string, unknown, string]> = [];
    const middleware: Middleware[] = [
      {
        name: 'spy',
        execute: (current, next) => {
          seen.push([current.task.name, current.args, current.context.taskId]);
          return next();
        },
      },
    ];
    await runExecuteMiddleware(middleware, execution(), async () => 3);
    expect(seen).toEqual([['math.add', { a: 1, b: 2 }, 'task-1']]);
  });

  it('lets a hook replace the result on the way out', async () => {
    const middleware: Middleware[] = [
      {
        name: 'wrap',
        execute: async (_execution, next) => ({ wrapped: await next() }),
      },
      {
        name: 'double',
        execute: async (_execution, next) => ((await next()) as number) * 2,
      },
    ];
    const result = await runExecuteMiddleware(middleware, execution(), async () => 21);
    expect(result).toEqual({ wrapped: 42 });
  });

  it('lets a hook short-circuit: the task never runs', async () => {
    let ran = false;
    const middleware: Middleware[] = [{ name: 'cache', execute: async () => 'cached' }];
    const result = await runExecuteMiddleware(middleware, execution(), async () => {
      ran = true;
      return 'fresh';
    });
    expect(result).toBe('cached');
    expect(ran).toBe(false);
  });

  it('lets an outer hook see and turn a task failure into a result', async () => {
    const middleware: Middleware[] = [
      {
        name: 'fallback',
        execute: async (_execution, next) => {
          try {
            return await next();
          } catch (error) {
            return `recovered from ${(error as Error).message}`;
          }
        },
      },
    ];
    const result = await runExecuteMiddleware(middleware, execution(), async () => {
      throw new Error('boom');
    });
    expect(result).toBe('recovered from boom');
  });

  it('rejects a second call to next and runs the task only once', async () => {
    let runs = 0;
    let secondCall: Promise<unknown> | undefined;
    const middleware: Middleware[] = [
      {
        name: 'greedy',
        execute: async (_execution, next) => {
          const first = await next();
          secondCall = next();
          return first;
        },
      },
    ];
    const result = await runExecuteMiddleware(middleware, execution(), async () => {
      runs += 1;
      return runs;
    });
    expect(result).toBe(1);
    await expect(secondCall).rejects.toThrow('middleware "greedy" called next() twice');
    expect(runs).toBe(1);
  });

  it('rejects the whole execution when a hook awaits a second next', async () => {
    const middleware: Middleware[] = [
      { name: 'outer', execute: (_execution, next) => next() },
      {
        name: 'retry-in-place',
        execute: async (_execution, next) => {
          await next();
          return next();
        },
      },
    ];
    await expect(runExecuteMiddleware(middleware, execution(), async () => 'x')).rejects.toThrow(
      /retry-in-place.*next\(\) twice/,
    );
  });
});
