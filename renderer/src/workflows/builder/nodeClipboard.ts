/**
 * Copy and paste of nodes: a copy takes the chosen nodes and the edges between them (an edge to
 * a node left behind is dropped); a paste gives every node a fresh id, keeps the copied edges
 * between the new ids, and moves the nodes by an offset so they do not hide the originals.
 * Expressions inside pasted nodes that read copied nodes read their pasted copies; reads of nodes
 * left behind stay as written (the validator points out those that no longer reach upstream).
 *
 * On the system clipboard a copy is JSON marked with `clipboardFormat`, so it pastes into the
 * builder of another tab or window (or another cluster's), and reads as text anywhere else.
 * Nodes may be drafts still being drawn, so a paste checks only what the builder relies on — ids
 * and kinds of nodes, ends of edges — and leaves the rest to the validator, as for any draft.
 */
import { z } from 'zod';
import { renameInEdge, renameInNode } from '../../../../shared/workflows/renameNodeReferences.js';
import { nodeIdPattern, workflowNode } from '../../../../shared/workflows/workflowDefinition.js';
import { edgesOf, uniqueNodeId, type DraftDefinition, type DraftEdge, type DraftNode, type NodePosition } from './draftDefinition.js';
import { schemaIssuePath } from '../../../../shared/schemaIssuePath.js';

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

/** What marks clipboard text as workflow nodes copied in the builder. */
export const clipboardFormat = 'switchyard.workflow-nodes/1';

/** A copy as system clipboard text. */
export function clipboardText(content: ClipboardContent): string {
  return `${JSON.stringify({ format: clipboardFormat, nodes: content.nodes, edges: content.edges }, null, 2)}\n`;
}

const nodeKinds = workflowNode.options.map((option) => option.shape.kind.value);

const clipboardContent = z.object({
  format: z.literal(clipboardFormat),
  nodes: z.array(z.looseObject({ id: z.string().regex(nodeIdPattern, 'must be a node id'), kind: z.enum(nodeKinds) })).min(1),
  edges: z.array(z.looseObject({ from: z.string(), to: z.string() })).default([]),
});

/**
 * Clipboard text read back: the nodes when it is a builder copy, null when it is something else
 * (any other text: not ours to paste), or a message naming what is wrong with a damaged copy.
 */
export function parseClipboardText(text: string): { ok: true; content: ClipboardContent } | { ok: false; message: string } | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || (value as { format?: unknown }).format !== clipboardFormat) return null;
  const parsed = clipboardContent.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = schemaIssuePath(issue.path);
    return { ok: false, message: `The copied nodes on the clipboard are damaged — ${path}: ${issue.message}. Nothing was pasted.` };
  }
  return { ok: true, content: { nodes: parsed.data.nodes as DraftNode[], edges: parsed.data.edges as DraftEdge[] } };
}
