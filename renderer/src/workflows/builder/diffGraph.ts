/**
 * The graph the version diff draws: the newer version's nodes and edges plus the ones the older
 * version had and the newer lost, each marked added, removed, changed (naming the settings that
 * differ) or same, from `diffWorkflows`. Removed nodes stand where the older version drew them.
 */
import { diffWorkflows, type WorkflowDiff } from '../../../../shared/workflows/diffWorkflows.js';
import type { WorkflowDefinition } from '../../../../shared/workflows/workflowDefinition.js';
import type { DraftDefinition } from './draftDefinition.js';
import { edgeId, type DiffMark } from './flowElements.js';
import { placeUnpositioned } from './placeNodes.js';

export interface DiffGraph {
  /** Every node and edge of either version, to draw. */
  definition: DraftDefinition;
  nodeMarks: Map<string, { mark: DiffMark; fields: string[] }>;
  edgeMarks: Map<string, DiffMark>;
  diff: WorkflowDiff;
}

export function diffGraph(before: WorkflowDefinition, after: WorkflowDefinition): DiffGraph {
  const diff = diffWorkflows(before, after);
  const removedNodes = new Set(diff.nodes.removed);
  const changed = new Map(diff.nodes.changed.map((change) => [change.id, change.fields]));
  const added = new Set(diff.nodes.added);
  const nodeMarks = new Map<string, { mark: DiffMark; fields: string[] }>();
  for (const node of after.nodes) {
    const fields = changed.get(node.id);
    nodeMarks.set(node.id, added.has(node.id) ? { mark: 'added', fields: [] } : fields ? { mark: 'changed', fields } : { mark: 'same', fields: [] });
  }
  for (const id of removedNodes) nodeMarks.set(id, { mark: 'removed', fields: [] });

  const edgeMarks = new Map<string, DiffMark>();
  for (const edge of after.edges) edgeMarks.set(edgeId(edge), 'same');
  for (const edge of diff.edges.changed) edgeMarks.set(edgeId(edge), 'changed');
  for (const edge of diff.edges.added) edgeMarks.set(edgeId(edge), 'added');
  for (const edge of diff.edges.removed) edgeMarks.set(edgeId(edge), 'removed');

  const removedEdges = new Set(diff.edges.removed.map(edgeId));
  const definition = placeUnpositioned({
    ...after,
    nodes: [...after.nodes, ...before.nodes.filter((node) => removedNodes.has(node.id))],
    edges: [...after.edges, ...before.edges.filter((edge) => removedEdges.has(edgeId(edge)))],
  });
  return { definition, nodeMarks, edgeMarks, diff };
}
