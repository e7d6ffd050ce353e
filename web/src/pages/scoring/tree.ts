/* Immutable edits of a scheme's component tree, for the editor. */
import type { ComponentNode, SchemeDefinition } from './api';

export function findNode(root: ComponentNode, id: string): ComponentNode | null {
  if (root.id === id) return root;
  for (const child of root.children ?? []) {
    const found = findNode(child, id);
    if (found) return found;
  }
  return null;
}

/** The path of ids from the root to a node (inclusive), or null. */
export function pathTo(root: ComponentNode, id: string): string[] | null {
  if (root.id === id) return [root.id];
  for (const child of root.children ?? []) {
    const rest = pathTo(child, id);
    if (rest) return [root.id, ...rest];
  }
  return null;
}

export function mapNode(
  root: ComponentNode,
  id: string,
  change: (node: ComponentNode) => ComponentNode,
): ComponentNode {
  if (root.id === id) return change(root);
  if (!root.children) return root;
  return { ...root, children: root.children.map((c) => mapNode(c, id, change)) };
}

export function removeNode(root: ComponentNode, id: string): ComponentNode {
  if (!root.children) return root;
  return {
    ...root,
    children: root.children.filter((c) => c.id !== id).map((c) => removeNode(c, id)),
  };
}

/** Moves a node one place up or down among its siblings. */
export function moveNode(root: ComponentNode, id: string, by: -1 | 1): ComponentNode {
  if (!root.children) return root;
  const index = root.children.findIndex((c) => c.id === id);
  if (index >= 0) {
    const target = index + by;
    if (target < 0 || target >= root.children.length) return root;
    const children = [...root.children];
    const [node] = children.splice(index, 1);
    if (node) children.splice(target, 0, node);
    return { ...root, children };
  }
  return { ...root, children: root.children.map((c) => moveNode(c, id, by)) };
}

export function allNodes(root: ComponentNode): ComponentNode[] {
  return [root, ...(root.children ?? []).flatMap(allNodes)];
}

export function leaves(root: ComponentNode): ComponentNode[] {
  return allNodes(root).filter((n) => !n.children || n.children.length === 0);
}

export const isInner = (node: ComponentNode) => Boolean(node.children && node.children.length > 0);

/** The sum of the children's points, or null for a leaf. Rounded to hide binary fractions (0.1 + 0.2). */
export function childrenSum(node: ComponentNode): number | null {
  if (!isInner(node)) return null;
  const sum = (node.children ?? []).reduce((s, c) => s + (Number.isFinite(c.maxPoints) ? c.maxPoints : 0), 0);
  return Math.round(sum * 1e6) / 1e6;
}

/** A fresh id not yet used in the tree: c1, c2 … */
export function freshId(root: ComponentNode, prefix = 'c'): string {
  const used = new Set(allNodes(root).map((n) => n.id));
  for (let i = 1; ; i++) {
    const candidate = `${prefix}${i}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** Adds a child; a leaf that gets a child becomes an inner node (its source and mapping go). */
export function addChild(root: ComponentNode, parentId: string, child: ComponentNode): ComponentNode {
  return mapNode(root, parentId, (parent) => {
    const { source: _source, mapping: _mapping, missing: _missing, ...rest } = parent;
    return { ...rest, children: [...(parent.children ?? []), child] };
  });
}

/** Renames a component's id everywhere the definition refers to it (tie-break, promotions). */
export function renameId(definition: SchemeDefinition, from: string, to: string): SchemeDefinition {
  const swap = (id: string) => (id === from ? to : id);
  return {
    ...definition,
    root: mapNode(definition.root, from, (node) => ({ ...node, id: to })),
    tieBreak: definition.tieBreak.map(swap),
    promotions: definition.promotions.map((p) => ({ ...p, leaves: p.leaves.map(swap) })),
  };
}

/** A new scheme with nothing in it but a root of 100 points and one review stage. */
export function blankDefinition(rootName: string): SchemeDefinition {
  return {
    precision: 2,
    root: { id: 'total', name: rootName, maxPoints: 100, children: [] },
    groups: [],
    tieBreak: [],
    uncertainty: { minSample: 30, shrink: false },
    grades: [],
    veto: { barsTopGrade: true, toBottomList: true },
    promotions: [],
    bonusByActualScore: false,
    lists: { best: 10, worst: 10 },
    review: { stages: [] },
  };
}
