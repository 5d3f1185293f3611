/**
 * Starting a canvas from a producer: freezes it (every id fixed), publishes its first
 * tasks and returns a typed handle. Canvas messages go straight to the broker (Stem's
 * publish middleware is not applied to them).
 */
import type { JsonValue } from '@stem/core';
import type { Canvas } from './compose/canvas';
import type { CanvasAdapters } from './continuation/canvas-adapters';
import { launchNode } from './continuation/launch-node';
import type { CanvasNode } from './node/canvas-node';
import { freezeCanvas } from './node/freeze-canvas';
import { CanvasResult } from './result/canvas-result';

export interface ApplyOptions {
  /** Id of the canvas (and of its first task where ids allow). @default a random UUID */
  id?: string;
}

/** Apply options; `input` is required when the canvas's first step is open. */
export type ApplyArguments<TIn> = [TIn] extends [never]
  ? [options?: ApplyOptions]
  : [options: ApplyOptions & { input: TIn }];

/** Publishes `canvas` and returns a handle on its final result. */
export async function applyCanvas<TIn, TOut>(
  adapters: CanvasAdapters,
  canvas: Canvas<TIn, TOut>,
  ...[options]: ApplyArguments<TIn>
): Promise<CanvasResult<TOut>> {
  const given = options as (ApplyOptions & { input?: unknown }) | undefined;
  const node = freezeCanvas(canvas.node, given?.id);
  const input = given !== undefined && 'input' in given ? (given.input as JsonValue) : undefined;
  await launchNode({ adapters, root: node.id, guarded: false }, node, input, []);
  return new CanvasResult<TOut>(node, adapters);
}

/** A handle on a canvas applied elsewhere, from its frozen node (`result.toJSON()`). */
export function canvasResult<T = unknown>(
  adapters: CanvasAdapters,
  node: CanvasNode,
): CanvasResult<T> {
  return new CanvasResult<T>(node, adapters);
}
