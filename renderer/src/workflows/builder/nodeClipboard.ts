/**
 * Copy and paste of nodes: a copy takes the chosen nodes and the edges between them (an edge to
 * a node left behind is dropped); a paste gives every node a fresh id, keeps the copied edges
 * between the new ids, and moves the nodes by an offset so they do not hide the originals.
 * Expressions inside pasted nodes that read copied nodes read their pasted copies; reads of nodes
 * left behind stay as written (the validator points out those that no longer reach upstream).
 */
import { renameInEdge, renameInNode } from '../../../../shared/workflows/renameNodeReferences.js';
import { edgesOf, uniqueNodeId, type DraftDefinition, type DraftEdge, type DraftNode, type NodePosition } from './draftDefinition.js';

export interface ClipboardContent {
  nodes: DraftNode[];
  edges: DraftEdge[];
}

export const pasteOffset: NodePosition = { x: 40, y: 40 };

export function copyNodes(definition: DraftDefinition, nodeIds: Iterable<string>): ClipboardContent {
  const chosen = new Set(nodeIds);
  return {
    nodes: definition.nodes.filter((node) => chosen.has(node.id)),
    edges: edgesOf(definition).filter((edge) => chosen.has(edge.from) && chosen.has(edge.to)),
  };
}

/** The definition with the clipboard's nodes added under fresh ids, and those ids (in the clipboard's order). */
export function pasteNodes(definition: DraftDefinition, content: ClipboardContent, offset: NodePosition = pasteOffset): { definition: DraftDefinition; pastedIds: string[] } {
  if (content.nodes.length === 0) return { definition, pastedIds: [] };
  const taken = new Set(definition.nodes.map((node) => node.id));
  const renamed = new Map<string, string>();
  for (const node of content.nodes) {
    const id = uniqueNodeId(node.id, taken);
    taken.add(id);
    renamed.set(node.id, id);
  }
  const nodes = content.nodes.map((node): DraftNode => {
    const at = node.position ?? { x: 0, y: 0 };
    return renameInNode({ ...node, id: renamed.get(node.id)!, position: { x: at.x + offset.x, y: at.y + offset.y } }, renamed);
  });
  const edges = content.edges.flatMap((edge) => {
    const from = renamed.get(edge.from);
    const to = renamed.get(edge.to);
    return from && to ? [renameInEdge({ ...edge, from, to }, renamed)] : [];
  });
  return { definition: { ...definition, nodes: [...definition.nodes, ...nodes], edges: [...edgesOf(definition), ...edges] }, pastedIds: nodes.map((node) => node.id) };
}
