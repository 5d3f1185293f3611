/**
 * Type-level promises of chain composition: checked by
 * `tsc -p packages/canvas/tsconfig.json`, never run. Each `@ts-expect-error` marks a line
 * that must NOT compile; tsc fails if such a line ever starts compiling.
 */
import { type Canvas, chain, chord, group, type MemberOutcome, map, signature } from '@stem/canvas';
import { defineTask } from '@stem/core';

/** True only when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2
  ? true
  : false;
function expectType<A, B>(_proof: Equal<A, B>): void {}

const add = defineTask({ name: 't.add', run: (args: { a: number; b: number }) => args.a + args.b });
const double = defineTask({ name: 't.double', run: (n: number) => n * 2 });
const format = defineTask({ name: 't.format', run: (n: number) => `n=${n}` });
const shout = defineTask({ name: 't.shout', run: (text: string) => text.toUpperCase() });
const sum = defineTask({ name: 't.sum', run: (ns: number[]) => ns.reduce((a, b) => a + b, 0) });

// Each step takes the previous output: number → number → string → string.
const ok = chain(
  signature(add, { a: 1, b: 2 }),
  signature(double),
  signature(format),
  signature(shout),
);
expectType<typeof ok, Canvas<never, string>>(true);

// A step whose input does not match the previous output does not compile.
// @ts-expect-error shout takes a string, add produces a number
chain(signature(add, { a: 1, b: 2 }), signature(shout));
// @ts-expect-error the mismatch is caught at any position
chain(signature(add, { a: 1, b: 2 }), signature(double), signature(shout), signature(format));
// @ts-expect-error a bound step (own arguments) cannot take the previous result
chain(signature(add, { a: 1, b: 2 }), signature(double, 3));
// @ts-expect-error bound arguments are checked against the task
signature(add, { a: 1 });

// @ts-expect-error every member of a group step must accept the previous result
chain(signature(add, { a: 1, b: 2 }), group([signature(double), signature(shout)]));

// A group's result is its members' results, in order; a chord feeds them to the callback.
const numbers = group([signature(double, 1), signature(double, 2)]);
expectType<typeof numbers, Canvas<never, [number, number]>>(true);
const total = chord(map(double, [1, 2, 3]), signature(sum));
expectType<typeof total, Canvas<never, number>>(true);
// @ts-expect-error the callback must accept the group's result (number[], not string)
chord(map(double, [1, 2, 3]), signature(shout));

// Under `continue` members yield outcomes (value or error), and the callback must take those.
const tolerant = map(double, [1, 2], { strategy: 'continue' });
expectType<typeof tolerant, Canvas<never, MemberOutcome<number>[]>>(true);
// @ts-expect-error sum takes numbers, not outcomes
chord(tolerant, signature(sum));

// Nested: a group inside a chain inside a chord header.
const nested = chord(
  group([chain(signature(double, 1), group([signature(double), signature(format)]))]),
  signature(defineTask({ name: 't.collect', run: (rows: Array<[number, string]>) => rows.length })),
);
expectType<typeof nested, Canvas<never, number>>(true);
