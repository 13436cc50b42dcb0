/**
 * Positions for nodes that have none (a definition saved through the API or written by hand):
 * when any node lacks a position, the whole graph is laid out with `layoutWorkflow` so the
 * drawing is tidy; otherwise the author's positions are kept. `autoLayout` lays out every node
 * on request ("Auto-layout").
 */
import { layoutWorkflow } from '../graph/layoutWorkflow.js';
import { moveNodes } from './definitionEdits.js';
import { edgesOf, type DraftDefinition } from './draftDefinition.js';

/** The size the layout assumes for a node the canvas has not measured yet. */
export const defaultNodeSize = { width: 190, height: 64 } as const;

export type NodeSizes = ReadonlyMap<string, { width: number; height: number }>;

export function autoLayout(definition: DraftDefinition, sizes: NodeSizes = new Map()): DraftDefinition {
  const nodes = definition.nodes.map((node) => ({ id: node.id, ...(sizes.get(node.id) ?? defaultNodeSize) }));
  const positions = layoutWorkflow(nodes, edgesOf(definition).map((edge) => ({ from: edge.from, to: edge.to })));
  return moveNodes(definition, positions);
}

export function placeUnpositioned(definition: DraftDefinition): DraftDefinition {
  return definition.nodes.every((node) => node.position) ? definition : autoLayout(definition);
}
