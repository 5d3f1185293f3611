/**
 * Assigns every node of a canvas its id, once, at apply time. Members of a group get
 * `<groupId>:<index>` so a failing member can revoke its siblings without knowing them;
 * a chain shares its id with its first step, so revoking a member id stops a chain
 * member before it starts; everything else gets a random UUID. Pure; any thread.
 */
import { randomUUID } from 'node:crypto';
import type { CanvasNode, GroupNode, NodeLinks } from './canvas-node';

/** A deep copy of `node` with ids filled in; `id` (@default a random UUID) names the root. */
export function freezeCanvas<T extends CanvasNode>(node: T, id?: string): T {
  return freezeNode(node, id) as T;
}

function freezeNode(node: CanvasNode, preferredId: string | undefined): CanvasNode {
  const links = freezeLinks(node.links);
  switch (node.kind) {
    case 'task': {
      const id = preferredId ?? node.options.taskId ?? randomUUID();
      return { ...node, id, options: { ...node.options }, ...links };
    }
    case 'chain': {
      const id = preferredId ?? randomUUID();
      const steps = node.steps.map((step, index) => freezeNode(step, index === 0 ? id : undefined));
      return { ...node, id, steps, ...links };
    }
    case 'group':
      return freezeGroup(node, preferredId ?? randomUUID());
    case 'chord': {
      const id = preferredId ?? randomUUID();
      return {
        ...node,
        id,
        header: freezeGroup(node.header, id),
        body: freezeNode(node.body, undefined),
        ...links,
      };
    }
  }
}

function freezeGroup(node: GroupNode, id: string): GroupNode {
  const members = node.members.map((member, index) => freezeNode(member, `${id}:${index}`));
  return { ...node, id, members, ...freezeLinks(node.links) };
}

function freezeLinks(links: NodeLinks | undefined): { links?: NodeLinks } {
  if (links === undefined) return {};
  return {
    links: {
      ...(links.onSuccess === undefined
        ? {}
        : { onSuccess: links.onSuccess.map((link) => freezeNode(link, undefined)) }),
      ...(links.onError === undefined
        ? {}
        : { onError: links.onError.map((link) => freezeNode(link, undefined)) }),
    },
  };
}

/** The id whose record holds the node's final result (last step, group record, body). */
export function resultIdOf(node: CanvasNode): string {
  switch (node.kind) {
    case 'task':
    case 'group':
      return node.id;
    case 'chain':
      return resultIdOf(node.steps[node.steps.length - 1]!);
    case 'chord':
      return resultIdOf(node.body);
  }
}

/** Every task id in the tree (links included), for revoke and forget. */
export function taskIdsOf(node: CanvasNode): string[] {
  const own = (() => {
    switch (node.kind) {
      case 'task':
        return [node.id];
      case 'chain':
        return node.steps.flatMap(taskIdsOf);
      case 'group':
        return node.members.flatMap(taskIdsOf);
      case 'chord':
        return [...taskIdsOf(node.header), ...taskIdsOf(node.body)];
    }
  })();
  const links = [...(node.links?.onSuccess ?? []), ...(node.links?.onError ?? [])];
  return [...own, ...links.flatMap(taskIdsOf)];
}

/** Every group in the tree, outermost first. */
export function groupsOf(node: CanvasNode): GroupNode[] {
  switch (node.kind) {
    case 'task':
      return [];
    case 'chain':
      return node.steps.flatMap(groupsOf);
    case 'group':
      return [node, ...node.members.flatMap(groupsOf)];
    case 'chord':
      return [...groupsOf(node.header), ...groupsOf(node.body)];
  }
}
