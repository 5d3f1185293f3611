/**
 * `chord(group, callback)`: the callback runs exactly once, after the last member has
 * reported, with the group's result. No polling: the member whose report completes the
 * group (the backend's atomic counter says which) claims the callback and publishes it.
 */
import type { ChordNode } from '../node/canvas-node';
import { Canvas } from './canvas';

export function chord<I, H, R>(
  header: Canvas<I, H>,
  callback: Canvas<NoInfer<H>, R>,
): Canvas<I, R> {
  if (header.node.kind !== 'group') {
    throw new TypeError(`a chord's header must be a group, got a ${header.node.kind}`);
  }
  const node: ChordNode = { kind: 'chord', id: '', header: header.node, body: callback.node };
  return new Canvas(node);
}
