/**
 * A fast layered layout for large workflows, where dagre is too slow for the builder and the run
 * view to open promptly (on a 500-node, 960-edge layered DAG dagre takes 3–4 s, nearly all in its network-simplex
 * ranking; this takes a few milliseconds). Left to right: a node's rank is the longest path from an
 * entry node, so every edge points right; within a rank, nodes are ordered by a few sweeps of the
 * barycentre heuristic (the mean place of their parents, then of their children) to cut crossings;
 * each rank is centred on the same line. Pure: answers top-left corners, like `layoutWorkflow`.
 *
 * Edges to unknown nodes and self-edges are ignored; nodes on a cycle (a definition being edited)
 * are put after everything else rather than looping.
 */
import type { LayoutEdge, LayoutNode, Positions } from './layoutWorkflow.js';

export interface LayeredLayoutOptions {
  nodeGap?: number;
  rankGap?: number;
  /** Down-and-up barycentre sweeps. Default 4. */
  sweeps?: number;
}

export function layeredLayout(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], options: LayeredLayoutOptions = {}): Positions {
  const { nodeGap = 24, rankGap = 64, sweeps = 4 } = options;
  const index = new Map(nodes.map((node, at) => [node.id, at]));
  const parents: number[][] = nodes.map(() => []);
  const children: number[][] = nodes.map(() => []);
  for (const edge of edges) {
    const from = index.get(edge.from);
    const to = index.get(edge.to);
    if (from === undefined || to === undefined || from === to) continue;
    children[from]!.push(to);
    parents[to]!.push(from);
  }

  // Longest path from the entry nodes, in topological order (Kahn).
  const rank = new Array<number>(nodes.length).fill(0);
  const waiting = parents.map((list) => list.length);
  const queue = nodes.map((_, at) => at).filter((at) => waiting[at] === 0);
  const placed = new Array<boolean>(nodes.length).fill(false);
  for (let head = 0; head < queue.length; head++) {
    const at = queue[head]!;
    placed[at] = true;
    for (const child of children[at]!) {
      rank[child] = Math.max(rank[child]!, rank[at]! + 1);
      if (--waiting[child]! === 0) queue.push(child);
    }
  }
  const deepest = Math.max(0, ...rank);
  nodes.forEach((_, at) => {
    if (!placed[at]) rank[at] = deepest + 1;
  });

  const ranks: number[][] = [];
  nodes.forEach((_, at) => (ranks[rank[at]!] ??= []).push(at));
  const layers = ranks.filter((layer) => layer !== undefined);
  const order = new Array<number>(nodes.length).fill(0);
  const renumber = (layer: number[]) => layer.forEach((at, place) => (order[at] = place));
  layers.forEach(renumber);

  const reorder = (layer: number[], neighbours: number[][]) => {
    const weight = new Map<number, number>();
    for (const at of layer) {
      const near = neighbours[at]!;
      weight.set(at, near.length === 0 ? order[at]! : near.reduce((sum, other) => sum + order[other]!, 0) / near.length);
    }
    // Stable: ties keep their current order.
    layer.sort((a, b) => weight.get(a)! - weight.get(b)! || order[a]! - order[b]!);
    renumber(layer);
  };
  for (let sweep = 0; sweep < sweeps; sweep++) {
    for (let at = 1; at < layers.length; at++) reorder(layers[at]!, parents);
    for (let at = layers.length - 2; at >= 0; at--) reorder(layers[at]!, children);
  }

  const rankWidth = Math.max(0, ...nodes.map((node) => node.width));
  const positions: Positions = new Map();
  layers.forEach((layer, column) => {
    const heights = layer.map((at) => nodes[at]!.height);
    const total = heights.reduce((sum, height) => sum + height, 0) + nodeGap * (layer.length - 1);
    let y = -total / 2;
    layer.forEach((at, place) => {
      positions.set(nodes[at]!.id, { x: column * (rankWidth + rankGap), y });
      y += heights[place]! + nodeGap;
    });
  });
  return positions;
}
