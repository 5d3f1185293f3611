/**
 * `Canvas<TIn, TOut>`: a typed, immutable wrapper around a canvas node. `TIn` is what the
 * canvas takes when it runs as a later chain step (a bound signature takes nothing:
 * `never`), `TOut` what it produces. Pure; any thread.
 */
import type { CanvasFailure, CanvasNode } from '../node/canvas-node';

export class Canvas<TIn, TOut> {
  readonly node: CanvasNode;
  /** Type-only marker: the input is contravariant, the output covariant. Never set. */
  declare readonly __types?: { input: (input: TIn) => void; output: () => TOut };

  constructor(node: CanvasNode) {
    this.node = node;
  }

  /** A copy that publishes `link` with this canvas's result when it succeeds. */
  onSuccess(link: Canvas<TOut, unknown>): Canvas<TIn, TOut> {
    const links = this.node.links ?? {};
    return new Canvas({
      ...this.node,
      links: { ...links, onSuccess: [...(links.onSuccess ?? []), link.node] },
    });
  }

  /** A copy that publishes `link` with a CanvasFailure when it fails (or fails fast). */
  onError(link: Canvas<CanvasFailure, unknown>): Canvas<TIn, TOut> {
    const links = this.node.links ?? {};
    return new Canvas({
      ...this.node,
      links: { ...links, onError: [...(links.onError ?? []), link.node] },
    });
  }
}

/** Any canvas, whatever its types (an input of `never` is the widest input). */
export type AnyCanvas = Canvas<never, unknown>;

/** The input type of a canvas. */
export type InputOf<C> = C extends Canvas<infer I, infer _O> ? I : never;
/** The output type of a canvas. */
export type OutputOf<C> = C extends Canvas<infer _I, infer O> ? O : never;
