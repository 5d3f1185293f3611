/**
 * Publishes a canvas node: a task becomes one envelope carrying its continuation
 * frames in `meta.canvas`; a chain launches its first step with the rest as a frame; a
 * group initialises its counter and launches every member with a member frame; a chord
 * launches its header with the callback as the next chain step. Runs on the caller's
 * thread (a producer, or a worker's main thread inside the after-task hook).
 */
import { createEnvelope, type JsonValue } from '@stem/core';
import type {
  CanvasEnvelopeMeta,
  CanvasNode,
  ContinuationFrame,
  GroupNode,
  TaskNode,
} from '../node/canvas-node';
import { type CanvasAdapters, DEFAULT_GROUP_TTL_MS } from './canvas-adapters';

/** Who is launching and under which canvas. */
export interface LaunchContext {
  adapters: CanvasAdapters;
  /** Id of the canvas (its root node). */
  root: string;
  /** The task whose continuation is launching, if any. */
  parentId?: string;
  /** Work decided by a group claim runs under idempotency keys (see docs/canvas.md). */
  guarded: boolean;
}

/** Members published at once when a group starts. */
const PUBLISH_BATCH = 64;

export async function launchNode(
  context: LaunchContext,
  node: CanvasNode,
  input: JsonValue | undefined,
  stack: readonly ContinuationFrame[],
): Promise<void> {
  const below = withLinks(node, stack);
  switch (node.kind) {
    case 'task':
      return publishTask(context, node, input, below);
    case 'chain': {
      const [first, ...rest] = node.steps;
      const frames: ContinuationFrame[] =
        rest.length === 0 ? below : [{ f: 'chain', steps: rest }, ...below];
      return launchNode(context, first!, input, frames);
    }
    case 'group':
      return launchGroup(context, node, input, below);
    case 'chord':
      return launchNode(context, node.header, input, [
        { f: 'chain', steps: [node.body] },
        ...below,
      ]);
  }
}

/** The stack with the node's links (if it has any) as the frame right below it. */
function withLinks(node: CanvasNode, stack: readonly ContinuationFrame[]): ContinuationFrame[] {
  const onSuccess = node.links?.onSuccess ?? [];
  const onError = node.links?.onError ?? [];
  if (onSuccess.length === 0 && onError.length === 0) return [...stack];
  return [{ f: 'links', nodeId: node.id, onSuccess, onError }, ...stack];
}

async function launchGroup(
  context: LaunchContext,
  node: GroupNode,
  input: JsonValue | undefined,
  below: ContinuationFrame[],
): Promise<void> {
  const { resultBackend, groupTtlMs = DEFAULT_GROUP_TTL_MS } = context.adapters;
  const size = node.members.length;
  // Refused when built too; checked again for nodes that arrive as JSON.
  if (size === 0) throw new RangeError(`group ${node.id} has no members`);
  await resultBackend.initGroup({ groupId: node.id, size, ttlMs: groupTtlMs });
  for (let start = 0; start < size; start += PUBLISH_BATCH) {
    const batch = node.members.slice(start, start + PUBLISH_BATCH);
    await Promise.all(
      batch.map((member, offset) => {
        const index = start + offset;
        const frame: ContinuationFrame = {
          f: 'member',
          groupId: node.id,
          index,
          size,
          strategy: node.strategy,
        };
        return launchNode(context, member, input, [frame, ...below]);
      }),
    );
  }
}

async function publishTask(
  context: LaunchContext,
  node: TaskNode,
  input: JsonValue | undefined,
  frames: ContinuationFrame[],
): Promise<void> {
  const { options } = node;
  const now = Date.now();
  const top = frames[0];
  const canvas: CanvasEnvelopeMeta = {
    k: frames,
    root: context.root,
    ...(context.guarded ? { guarded: true } : {}),
  };
  const envelope = createEnvelope({
    task: node.task,
    id: node.id,
    args: node.bound ? (node.args ?? null) : (input ?? null),
    rootId: context.root,
    meta: { canvas: canvas as unknown as JsonValue },
    headers: { ...options.headers },
    ...(options.queue === undefined ? {} : { queue: options.queue }),
    ...(options.priority === undefined ? {} : { priority: options.priority }),
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    ...(options.softTimeLimitMs === undefined ? {} : { softTimeLimitMs: options.softTimeLimitMs }),
    ...(options.hardTimeLimitMs === undefined ? {} : { hardTimeLimitMs: options.hardTimeLimitMs }),
    ...(options.expiresInMs === undefined ? {} : { expiresAt: now + options.expiresInMs }),
    ...(options.delayMs === undefined ? {} : { notBeforeAt: now + options.delayMs }),
    ...(context.parentId === undefined ? {} : { parentId: context.parentId }),
    ...(top?.f === 'member' ? { groupId: top.groupId, groupIndex: top.index } : {}),
    ...(context.guarded ? { idempotencyKey: `canvas:${node.id}` } : {}),
  });
  await context.adapters.broker.publish(envelope);
}
