/**
 * `group([...])` runs members in parallel and produces their results in member order;
 * `map(task, argsList)` is a group of one task over many argument sets. The strategy
 * decides what a member's permanent failure does: `fail-fast` (default) ends the group
 * with that error and revokes the rest; `continue` lets every member finish and yields
 * each member's outcome (value or error).
 */
import type { TaskDefinition } from '@stem/core';
import type {
  FailureStrategy,
  GroupNode,
  MemberOutcome,
  SignatureOptions,
} from '../node/canvas-node';
import { type AnyCanvas, Canvas, type InputOf, type OutputOf } from './canvas';
import { signature } from './signature';

export interface GroupOptions<S extends FailureStrategy> {
  /** @default 'fail-fast' */
  strategy?: S;
}

/** The group's result: the members' results, or their outcomes under `continue`. */
export type GroupOutput<T extends readonly AnyCanvas[], S extends FailureStrategy> = {
  -readonly [K in keyof T]: S extends 'continue' ? MemberOutcome<OutputOf<T[K]>> : OutputOf<T[K]>;
};

/** What every member accepts as input (member by member); `never` when any member is bound. */
type IntersectInputs<T extends readonly unknown[]> = T extends readonly [infer H, ...infer R]
  ? InputOf<H> & IntersectInputs<R>
  : T extends readonly []
    ? unknown
    : InputOf<T[number]>;

export function group<
  const T extends readonly AnyCanvas[],
  S extends FailureStrategy = 'fail-fast',
>(members: T, options: GroupOptions<S> = {}): Canvas<IntersectInputs<T>, GroupOutput<T, S>> {
  if (members.length === 0) throw new RangeError('a group needs at least one member');
  const node: GroupNode = {
    kind: 'group',
    id: '',
    members: members.map((member) => member.node),
    strategy: options.strategy ?? 'fail-fast',
  };
  return new Canvas(node);
}

export interface MapOptions<S extends FailureStrategy> extends GroupOptions<S> {
  /** Envelope options for every member. */
  signature?: SignatureOptions;
}

/** One task over many argument sets, in parallel; results in the order of `argsList`. */
export function map<TArgs, TResult, S extends FailureStrategy = 'fail-fast'>(
  task: TaskDefinition<TArgs, TResult>,
  argsList: readonly TArgs[],
  options: MapOptions<S> = {},
): Canvas<never, Array<S extends 'continue' ? MemberOutcome<TResult> : TResult>> {
  const members = argsList.map((args) => signature(task, args, options.signature));
  return group(members, options) as unknown as Canvas<
    never,
    Array<S extends 'continue' ? MemberOutcome<TResult> : TResult>
  >;
}
