/**
 * `chain(a, b, c)`: runs steps one after another, each taking the previous result as its
 * input. The overloads check, at compile time, that each step accepts what the step
 * before it produces (up to 8 steps; nest chains for more).
 */
import type { ChainNode } from '../node/canvas-node';
import { type AnyCanvas, Canvas } from './canvas';

export function chain<I, A, B>(s1: Canvas<I, A>, s2: Canvas<NoInfer<A>, B>): Canvas<I, B>;
export function chain<I, A, B, C>(
  s1: Canvas<I, A>,
  s2: Canvas<NoInfer<A>, B>,
  s3: Canvas<NoInfer<B>, C>,
): Canvas<I, C>;
export function chain<I, A, B, C, D>(
  s1: Canvas<I, A>,
  s2: Canvas<NoInfer<A>, B>,
  s3: Canvas<NoInfer<B>, C>,
  s4: Canvas<NoInfer<C>, D>,
): Canvas<I, D>;
export function chain<I, A, B, C, D, E>(
  s1: Canvas<I, A>,
  s2: Canvas<NoInfer<A>, B>,
  s3: Canvas<NoInfer<B>, C>,
  s4: Canvas<NoInfer<C>, D>,
  s5: Canvas<NoInfer<D>, E>,
): Canvas<I, E>;
export function chain<I, A, B, C, D, E, F>(
  s1: Canvas<I, A>,
  s2: Canvas<NoInfer<A>, B>,
  s3: Canvas<NoInfer<B>, C>,
  s4: Canvas<NoInfer<C>, D>,
  s5: Canvas<NoInfer<D>, E>,
  s6: Canvas<NoInfer<E>, F>,
): Canvas<I, F>;
export function chain<I, A, B, C, D, E, F, G>(
  s1: Canvas<I, A>,
  s2: Canvas<NoInfer<A>, B>,
  s3: Canvas<NoInfer<B>, C>,
  s4: Canvas<NoInfer<C>, D>,
  s5: Canvas<NoInfer<D>, E>,
  s6: Canvas<NoInfer<E>, F>,
  s7: Canvas<NoInfer<F>, G>,
): Canvas<I, G>;
export function chain<I, A, B, C, D, E, F, G, H>(
  s1: Canvas<I, A>,
  s2: Canvas<NoInfer<A>, B>,
  s3: Canvas<NoInfer<B>, C>,
  s4: Canvas<NoInfer<C>, D>,
  s5: Canvas<NoInfer<D>, E>,
  s6: Canvas<NoInfer<E>, F>,
  s7: Canvas<NoInfer<F>, G>,
  s8: Canvas<NoInfer<G>, H>,
): Canvas<I, H>;
export function chain(...steps: AnyCanvas[]): AnyCanvas {
  if (steps.length < 2) throw new TypeError('a chain needs at least two steps');
  const node: ChainNode = { kind: 'chain', id: '', steps: steps.map((s) => s.node) };
  return new Canvas(node);
}
