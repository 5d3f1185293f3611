/**
 * Type-level promises of `defineTask` + `stem.enqueue`: checked by
 * `tsc -p packages/core/tsconfig.json`, never run. Each `@ts-expect-error` marks a
 * line that must NOT compile; tsc fails if such a line ever starts compiling.
 */
import {
  defineTask,
  type Stem,
  type TaskArgs,
  type TaskResult,
  type TaskResultOf,
} from '@stem/core';
import { expectTypeOf } from 'vitest';
import { z } from 'zod';

declare const stem: Stem;

const sendEmail = defineTask({
  name: 'email.send',
  run: async (args: { to: string; subject: string; cc?: string[] }) => ({ id: `msg-${args.to}` }),
});

const add = defineTask({
  name: 'math.add',
  run: (args: { a: number; b: number }) => args.a + args.b,
});

const schedule = defineTask({
  name: 'meeting.schedule',
  schema: z.object({
    title: z.string(),
    // Input: an ISO string; what the handler sees: a number of ms.
    startsAt: z.string().transform((iso) => Date.parse(iso)),
    attendees: z.array(z.string()).default([]),
  }),
  run: (args) => {
    expectTypeOf(args.startsAt).toEqualTypeOf<number>();
    expectTypeOf(args.attendees).toEqualTypeOf<string[]>();
    return { scheduledAt: args.startsAt };
  },
});

export async function correctUsageCompiles(): Promise<void> {
  const sent = await stem.enqueue(sendEmail, { to: 'ada@example.com', subject: 'Hi' });
  expectTypeOf(sent).toEqualTypeOf<TaskResult<{ id: string }>>();
  const message = await sent.get();
  expectTypeOf(message).toEqualTypeOf<{ id: string }>();
  const id: string = message.id;
  void id;

  await stem.enqueue(sendEmail, { to: 'a@example.com', subject: 'Hi', cc: ['b@example.com'] });
  await stem.enqueue(add, { a: 1, b: 2 }, { queue: 'math', delayMs: 1_000 });
  const sum: number = await (await stem.enqueue(add, { a: 1, b: 2 })).get({ timeoutMs: 10 });
  void sum;

  // A schema task takes the schema's INPUT type (attendees optional thanks to the default).
  const meeting = await stem.enqueue(schedule, { title: 'standup', startsAt: '2030-01-01' });
  expectTypeOf(await meeting.get()).toEqualTypeOf<{ scheduledAt: number }>();

  expectTypeOf<TaskArgs<typeof add>>().toEqualTypeOf<{ a: number; b: number }>();
  expectTypeOf<TaskResultOf<typeof sendEmail>>().toEqualTypeOf<{ id: string }>();
  expectTypeOf<TaskArgs<typeof schedule>>().toEqualTypeOf<{
    title: string;
    startsAt: string;
    attendees?: string[] | undefined;
  }>();
}

export async function wrongArgumentTypesFail(): Promise<void> {
  // @ts-expect-error `to` must be a string
  await stem.enqueue(sendEmail, { to: 42, subject: 'Hi' });
  // @ts-expect-error `a` must be a number
  await stem.enqueue(add, { a: '1', b: 2 });
  // @ts-expect-error the arguments are an object, not a tuple
  await stem.enqueue(add, [1, 2]);
  // @ts-expect-error `cc` is a list of strings
  await stem.enqueue(sendEmail, { to: 'a@example.com', subject: 'Hi', cc: 'b@example.com' });
}

export async function missingRequiredFieldsFail(): Promise<void> {
  // @ts-expect-error `subject` is required
  await stem.enqueue(sendEmail, { to: 'ada@example.com' });
  // @ts-expect-error every field is missing
  await stem.enqueue(add, {});
  // @ts-expect-error the arguments themselves are required
  await stem.enqueue(add);
}

export async function resultTypeIsEnforced(): Promise<void> {
  const sent = await stem.enqueue(sendEmail, { to: 'ada@example.com', subject: 'Hi' });
  // @ts-expect-error the result is `{ id: string }`, not a number
  const wrong: number = await sent.get();
  void wrong;
  // @ts-expect-error `{ id: string }` has no `messageId`
  (await sent.get()).messageId;
  const total = await stem.enqueue(add, { a: 1, b: 2 });
  // @ts-expect-error `add` resolves to a number, not a string
  const text: string = await total.get();
  void text;
}

export async function schemaInputTypeIsEnforced(): Promise<void> {
  // @ts-expect-error the schema's input for `startsAt` is a string (its output, a number, is not accepted)
  await stem.enqueue(schedule, { title: 'standup', startsAt: 1_893_456_000_000 });
  // @ts-expect-error `title` is required by the schema
  await stem.enqueue(schedule, { startsAt: '2030-01-01' });
  // @ts-expect-error `attendees` must be strings
  await stem.enqueue(schedule, { title: 'standup', startsAt: '2030-01-01', attendees: [1] });
}
