/**
 * The serialisable form of a canvas: a tree of plain JSON nodes (task, chain, group,
 * chord) and the continuation frames a task's envelope carries in `meta.canvas`. Every
 * node gets its id before anything is published, so a redelivered step always produces
 * the same ids downstream.
 */
import type { ErrorRecord, JsonObject, JsonValue } from '@stem/core';

/** What a group does when a member fails for good (after its retries). */
export type FailureStrategy = 'fail-fast' | 'continue';

/** Envelope options a signature carries (all serialisable, all optional). */
export interface SignatureOptions {
  /** Task id of this step; only honoured where the canvas does not derive one. */
  taskId?: string;
  queue?: string;
  /** 0 (lowest) to 9 (highest). */
  priority?: number;
  /** Retries after the first attempt. @default the task's own retry.maxRetries, else 3 */
  maxRetries?: number;
  softTimeLimitMs?: number;
  hardTimeLimitMs?: number;
  /** Skip the step if it has not started this many ms after it was published. */
  expiresInMs?: number;
  /** Publish the step this many ms late (countdown). */
  delayMs?: number;
  headers?: Record<string, string>;
}

/** On-success and on-error links: canvases published when a node finishes. */
export interface NodeLinks {
  /** Published with the node's result as input. */
  onSuccess?: CanvasNode[];
  /** Published with a CanvasFailure as input. */
  onError?: CanvasNode[];
}

interface NodeBase {
  /** Assigned by `freezeCanvas`; '' until then. */
  id: string;
  links?: NodeLinks;
}

export interface TaskNode extends NodeBase {
  kind: 'task';
  task: string;
  /** True when `args` were given; an unbound step takes the previous result as input. */
  bound: boolean;
  args?: JsonValue;
  options: SignatureOptions;
}

export interface ChainNode extends NodeBase {
  kind: 'chain';
  steps: CanvasNode[];
}

export interface GroupNode extends NodeBase {
  kind: 'group';
  members: CanvasNode[];
  strategy: FailureStrategy;
}

export interface ChordNode extends NodeBase {
  kind: 'chord';
  header: GroupNode;
  body: CanvasNode;
}

export type CanvasNode = TaskNode | ChainNode | GroupNode | ChordNode;

/** The input an on-error link receives. */
export interface CanvasFailure {
  /** The task whose failure (or revocation) ended the node. */
  failedTaskId: string;
  error: ErrorRecord;
  /** The group that failed fast, if a group did. */
  groupId?: string;
}

/** One member's outcome in a `continue` group: its value, or its error. */
export type MemberOutcome<T> =
  | { status: 'SUCCESS'; value: T }
  | { status: 'FAILURE' | 'REVOKED'; error: ErrorRecord };

/** Continue with the remaining steps of a chain. */
export interface ChainFrame {
  f: 'chain';
  steps: CanvasNode[];
}

/** Publish a node's links once the node is done. */
export interface LinksFrame {
  f: 'links';
  nodeId: string;
  onSuccess: CanvasNode[];
  onError: CanvasNode[];
}

/** Report to a group as member `index`; the group's decider continues below. */
export interface MemberFrame {
  f: 'member';
  groupId: string;
  index: number;
  size: number;
  strategy: FailureStrategy;
}

export type ContinuationFrame = ChainFrame | LinksFrame | MemberFrame;

/** What an envelope carries in `meta.canvas`. */
export interface CanvasEnvelopeMeta {
  /** Frames to run when this task settles, innermost first. */
  k: ContinuationFrame[];
  /** The id of the canvas this task belongs to. */
  root: string;
  /** Set on work published by a group's decider: it runs under an idempotency key. */
  guarded?: boolean;
}

/** The canvas meta of an envelope, if it belongs to a canvas. */
export function canvasMetaOf(meta: JsonObject | undefined): CanvasEnvelopeMeta | undefined {
  const canvas = meta?.canvas;
  if (typeof canvas !== 'object' || canvas === null || Array.isArray(canvas)) return undefined;
  if (!Array.isArray(canvas.k) || typeof canvas.root !== 'string') return undefined;
  return canvas as unknown as CanvasEnvelopeMeta;
}
