import {
  ArgumentsInvalidError,
  defineTask,
  hasErrorCode,
  StemError,
  validateTaskArguments,
} from '@stem/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const sendEmail = defineTask({
  name: 'email.send',
  schema: z.object({
    to: z.string().email(),
    subject: z.string().trim().min(1),
    retries: z.coerce.number().int().default(2),
    recipients: z
      .array(z.object({ address: z.string().email(), name: z.string().optional() }))
      .default([]),
  }),
  run: (args) => args.to,
});

async function rejection(promise: Promise<unknown>): Promise<StemError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StemError) return error;
    throw error;
  }
  throw new Error('expected the validation to fail');
}

describe('task arguments validated by a Standard Schema', () => {
  it('pass valid arguments through with the schema transforms applied', async () => {
    const { value } = await validateTaskArguments(sendEmail, {
      to: 'ada@example.com',
      subject: '  Hello  ',
      retries: '5',
    });
    expect(value).toEqual({
      to: 'ada@example.com',
      subject: 'Hello',
      retries: 5,
      recipients: [],
    });
  });

  it('drop keys the schema does not know (zod strips them)', async () => {
    const { value } = await validateTaskArguments(sendEmail, {
      to: 'ada@example.com',
      subject: 'Hi',
      injected: true,
    });
    expect(value).not.toHaveProperty('injected');
  });

  it('refuse invalid arguments with ARGUMENTS_INVALID naming the field', async () => {
    const error = await rejection(
      validateTaskArguments(sendEmail, { to: 'not-an-email', subject: 'Hi' }),
    );
    expect(error).toBeInstanceOf(ArgumentsInvalidError);
    expect(hasErrorCode(error, 'ARGUMENTS_INVALID')).toBe(true);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('invalid arguments for task "email.send"');
    expect(error.message).toMatch(/to: /);
    expect(error.details.taskName).toBe('email.send');
    expect(error.details.issues).toEqual([expect.stringMatching(/^to: /)]);
  });

  it('name the dotted path of a nested invalid value', async () => {
    const error = await rejection(
      validateTaskArguments(sendEmail, {
        to: 'ada@example.com',
        subject: 'Hi',
        recipients: [{ address: 'bob@example.com' }, { address: 'nope' }],
      }),
    );
    expect(error.code).toBe('ARGUMENTS_INVALID');
    expect(error.details.issues).toEqual([expect.stringMatching(/^recipients\.1\.address: /)]);
    expect(error.message).toContain('recipients.1.address: ');
  });

  it('list every issue, one per invalid field', async () => {
    const error = await rejection(validateTaskArguments(sendEmail, { to: 7, subject: '   ' }));
    const issues = error.details.issues as string[];
    expect(issues).toHaveLength(2);
    expect(issues.some((issue) => issue.startsWith('to: '))).toBe(true);
    expect(issues.some((issue) => issue.startsWith('subject: '))).toBe(true);
  });

  it('report an issue about the whole input without a path', async () => {
    const error = await rejection(validateTaskArguments(sendEmail, 'just a string'));
    expect(error.code).toBe('ARGUMENTS_INVALID');
    const issues = error.details.issues as string[];
    expect(issues).toHaveLength(1);
    expect(issues[0]).not.toMatch(/^: /);
    expect(issues[0]!.length).toBeGreaterThan(0);
  });

  it('await asynchronous schema checks', async () => {
    const taken = new Set(['taken']);
    const register = defineTask({
      name: 'user.register',
      schema: z.object({
        username: z.string().refine(async (name) => !taken.has(name), 'username is taken'),
      }),
      run: (args) => args.username,
    });
    await expect(validateTaskArguments(register, { username: 'free' })).resolves.toEqual({
      value: { username: 'free' },
    });
    const error = await rejection(validateTaskArguments(register, { username: 'taken' }));
    expect(error.details.issues).toEqual(['username: username is taken']);
  });

  it('pass arguments through untouched when the task has no schema', async () => {
    const plain = defineTask({ name: 'plain.task', run: (args: { n: number }) => args.n });
    const args = { n: 1, extra: 'kept' };
    const { value } = await validateTaskArguments(plain, args);
    expect(value).toBe(args);
  });
});
