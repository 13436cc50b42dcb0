/**
 * Auto-layout of a workflow graph: ranks left to right in dependency order, so the builder's
 * "Auto-layout" and the run view draw the same workflow the same way. Up to `dagreNodeLimit`
 * nodes dagre lays it out (fewer crossings, better spacing); its time grows steeply with size
 * (on layered DAGs with two parents a node: about 0.2 s for 100 nodes, 0.5 s for 150, 3–4 s for
 * 500), so bigger graphs get `layeredLayout` (milliseconds). Pure: answers the top-left corner of
 * every node and leaves the nodes alone.
 */
import { Graph, layout } from '@dagrejs/dagre';
import { layeredLayout } from './layeredLayout.js';

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
}

export interface LayoutEdge {
  from: string;
  to: string;
}

export interface LayoutOptions {
  /** `LR` (default) draws entry nodes on the left; `TB` on top. */
  direction?: 'LR' | 'TB';
  /** Space between nodes of one rank, in pixels. */
  nodeGap?: number;
  /** Space between ranks, in pixels. */
  rankGap?: number;
}

export type Positions = Map<string, { x: number; y: number }>;

export const dagreNodeLimit = 100;

export function layoutWorkflow(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], options: LayoutOptions = {}): Positions {
  if (nodes.length > dagreNodeLimit && (options.direction ?? 'LR') === 'LR') return layeredLayout(nodes, edges, { nodeGap: options.nodeGap, rankGap: options.rankGap });
  const graph = new Graph({ multigraph: false });
  graph.setGraph({ rankdir: options.direction ?? 'LR', nodesep: options.nodeGap ?? 24, ranksep: options.rankGap ?? 64, marginx: 0, marginy: 0 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) graph.setNode(node.id, { width: node.width, height: node.height });
  const known = new Set(nodes.map((node) => node.id));
  for (const edge of edges) if (known.has(edge.from) && known.has(edge.to) && edge.from !== edge.to) graph.setEdge(edge.from, edge.to);
  layout(graph);
  const positions: Positions = new Map();
  for (const node of nodes) {
    // dagre answers the centre; React Flow places nodes by their top-left corner.
    const placed = graph.node(node.id);
    positions.set(node.id, { x: placed.x - node.width / 2, y: placed.y - node.height / 2 });
  }
  return positions;
}
