import { defineTask, hasErrorCode, TaskRegistry, UnknownTaskError } from '@stem/core';
import { describe, expect, it } from 'vitest';

const sendEmail = defineTask({ name: 'email.send', run: (args: { to: string }) => args.to });
const resizeImage = defineTask({ name: 'image.resize', run: (args: { w: number }) => args.w });
const reportDaily = defineTask({ name: 'report.daily', run: () => 'ok' });

function registry(): TaskRegistry {
  return new TaskRegistry([sendEmail, resizeImage, reportDaily]);
}

function caught(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

describe('task registry', () => {
  it('resolves a registered name to its definition', () => {
    const tasks = registry();
    expect(tasks.resolve('email.send')).toBe(sendEmail);
    expect(tasks.get('image.resize')).toBe(resizeImage);
    expect(tasks.has('report.daily')).toBe(true);
    expect(tasks.size).toBe(3);
    expect(tasks.names()).toEqual(['email.send', 'image.resize', 'report.daily']);
  });

  it('refuses an unknown name with UNKNOWN_TASK and suggests the nearest registered name', () => {
    const error = caught(() => registry().resolve('email.sned'));
    expect(error).toBeInstanceOf(UnknownTaskError);
    expect(hasErrorCode(error, 'UNKNOWN_TASK')).toBe(true);
    expect((error as UnknownTaskError).taskName).toBe('email.sned');
    expect((error as UnknownTaskError).message).toContain('did you mean "email.send"');
    expect((error as UnknownTaskError).details).toEqual({
      taskName: 'email.sned',
      suggestion: 'email.send',
    });
    expect((error as UnknownTaskError).retryable).toBe(false);
  });

  it('suggests nothing when no registered name is close', () => {
    const error = caught(() => registry().resolve('billing.charge-card'));
    expect(hasErrorCode(error, 'UNKNOWN_TASK')).toBe(true);
    expect((error as UnknownTaskError).message).not.toContain('did you mean');
    expect((error as UnknownTaskError).details).toEqual({ taskName: 'billing.charge-card' });
  });

  it('refuses every name in an empty registry', () => {
    const error = caught(() => new TaskRegistry().resolve('email.send'));
    expect(hasErrorCode(error, 'UNKNOWN_TASK')).toBe(true);
  });

  it.each([
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'valueOf',
    '__defineGetter__',
  ])('never resolves the inherited object key %s to anything', (name) => {
    const tasks = registry();
    expect(tasks.get(name)).toBeUndefined();
    expect(tasks.has(name)).toBe(false);
    const error = caught(() => tasks.resolve(name));
    expect(hasErrorCode(error, 'UNKNOWN_TASK')).toBe(true);
    expect(tasks.names()).not.toContain(name);
  });

  it('resolves a task that is really named like an object key to that task only', () => {
    const odd = defineTask({ name: 'constructor', run: () => 'odd' });
    const tasks = new TaskRegistry([odd]);
    expect(tasks.resolve('constructor')).toBe(odd);
    expect(tasks.get('toString')).toBeUndefined();
    expect(tasks.get('__proto__')).toBeUndefined();
  });

  it('refuses a different task registered under a taken name', () => {
    const tasks = registry();
    const impostor = defineTask({ name: 'email.send', run: () => 'other' });
    expect(() => tasks.register(impostor)).toThrow(/already registered as "email.send"/);
    expect(tasks.resolve('email.send')).toBe(sendEmail);
    expect(() => new TaskRegistry([sendEmail, impostor])).toThrow(TypeError);
  });

  it('accepts the same definition registered twice', () => {
    const tasks = registry();
    expect(() => tasks.register(sendEmail)).not.toThrow();
    expect(tasks.size).toBe(3);
  });
});

describe('defineTask names', () => {
  it.each([
    'a',
    'email.send',
    'billing:charge-card',
    '_private',
    'v2.images.resize_large',
    'x'.repeat(200),
  ])('accepts %s', (name) => {
    expect(defineTask({ name, run: () => null }).name).toBe(name);
  });

  it.each([
    ['the empty string', ''],
    ['a space', 'email send'],
    ['a leading dot', '.email'],
    ['a leading dash', '-email'],
    ['a slash', 'email/send'],
    ['a newline', 'email\nsend'],
    ['non-ASCII letters', 'émail.send'],
    ['201 characters', 'x'.repeat(201)],
  ])('rejects a name with %s', (_label, name) => {
    expect(() => defineTask({ name, run: () => null })).toThrow(TypeError);
  });

  it('rejects a name that is not a string', () => {
    const name = 42 as unknown as string;
    expect(() => defineTask({ name, run: () => null })).toThrow(/task name 42 is invalid/);
  });

  it('rejects a definition without a run function', () => {
    const run = undefined as unknown as () => null;
    expect(() => defineTask({ name: 'no.run', run })).toThrow(/needs a run function/);
  });

  it('freezes the definition and its options', () => {
    const task = defineTask({ name: 'frozen.task', queue: 'slow', run: () => 1 });
    expect(Object.isFrozen(task)).toBe(true);
    expect(Object.isFrozen(task.options)).toBe(true);
    expect(task.options).toEqual({ queue: 'slow' });
  });
});
