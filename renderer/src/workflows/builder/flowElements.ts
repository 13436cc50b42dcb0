/**
 * The draft as React Flow draws it: one flow node per workflow node (type `workflowNode`, the id
 * the same, the position from the definition) and one flow edge per workflow edge (id
 * `from->to`, labelled with its condition). Problems and diff marks travel in the node's data so
 * the node component can show them. Also the reverse reading the canvas needs: a flow edge id
 * back to its ends.
 */
import type { Edge, EdgeMarker, Node } from '@xyflow/react';
import type { WorkflowProblem } from '../../../../shared/workflows/validateWorkflow.js';
import { edgesOf, type DraftDefinition, type DraftNode } from './draftDefinition.js';
import type { EdgeEnds } from './definitionEdits.js';

/** How a node or edge compares with an older version, in the diff view. */
export type DiffMark = 'added' | 'removed' | 'changed' | 'same';

export interface BuilderNodeData extends Record<string, unknown> {
  node: DraftNode;
  /** The validator's messages about this node; empty when it has none. */
  problems: string[];
  diff?: { mark: DiffMark; fields: string[] };
}

export type BuilderFlowNode = Node<BuilderNodeData, 'workflowNode'>;
export type BuilderFlowEdge = Edge<{ when?: string; diff?: DiffMark }>;

export interface FlowNodeOptions {
  problems?: ReadonlyMap<string, string[]>;
  selected?: ReadonlySet<string>;
  /** Sizes React Flow measured, handed back so it does not measure every node again after each change. */
  measured?: ReadonlyMap<string, { width: number; height: number }>;
  diff?: ReadonlyMap<string, { mark: DiffMark; fields: string[] }>;
}

/** Every edge ends in a closed arrow at its target (React Flow's `MarkerType.ArrowClosed`). */
const arrow: EdgeMarker = { type: 'arrowclosed' as EdgeMarker['type'], width: 18, height: 18 };

export function edgeId(ends: EdgeEnds): string {
  return `${ends.from}->${ends.to}`;
}

/** The ends of a flow edge id (node ids never hold `-` or `>`). */
export function edgeEndsOf(id: string): EdgeEnds {
  const [from = '', to = ''] = id.split('->');
  return { from, to };
}

/** The validator's problems by node id; a problem about several nodes is listed on each. */
export function problemsByNode(problems: readonly WorkflowProblem[]): Map<string, string[]> {
  const byNode = new Map<string, string[]>();
  for (const problem of problems) {
    for (const id of new Set(problem.nodeIds)) byNode.set(id, [...(byNode.get(id) ?? []), problem.message]);
  }
  return byNode;
}

export function toFlowNodes(definition: DraftDefinition, options: FlowNodeOptions = {}): BuilderFlowNode[] {
  return definition.nodes.map((node) => {
    const flowNode: BuilderFlowNode = {
      id: node.id,
      type: 'workflowNode',
      position: node.position ?? { x: 0, y: 0 },
      data: { node, problems: options.problems?.get(node.id) ?? [] },
      selected: options.selected?.has(node.id) ?? false,
    };
    const diff = options.diff?.get(node.id);
    if (diff) flowNode.data.diff = diff;
    const measured = options.measured?.get(node.id);
    if (measured) flowNode.measured = measured;
    return flowNode;
  });
}

export function toFlowEdges(definition: DraftDefinition, options: { selected?: ReadonlySet<string>; diff?: ReadonlyMap<string, DiffMark> } = {}): BuilderFlowEdge[] {
  return edgesOf(definition).map((edge) => {
    const id = edgeId(edge);
    const mark = options.diff?.get(id);
    const flowEdge: BuilderFlowEdge = { id, source: edge.from, target: edge.to, selected: options.selected?.has(id) ?? false, markerEnd: arrow, data: {} };
    if (edge.when !== undefined) {
      flowEdge.label = edge.when;
      flowEdge.data!.when = edge.when;
    }
    if (mark) {
      flowEdge.data!.diff = mark;
      flowEdge.className = `diff-${mark}`;
    }
    return flowEdge;
  });
}

/** The selected node ids and edge ids that still exist in `definition` (an undo or a rename may take some away); the same sets when all do. */
export function selectionWithin(definition: DraftDefinition, nodes: ReadonlySet<string>, edges: ReadonlySet<string>): { nodes: ReadonlySet<string>; edges: ReadonlySet<string> } {
  const nodeIds = new Set(definition.nodes.map((node) => node.id));
  const edgeIds = new Set(edgesOf(definition).map(edgeId));
  const keptNodes = [...nodes].filter((id) => nodeIds.has(id));
  const keptEdges = [...edges].filter((id) => edgeIds.has(id));
  return {
    nodes: keptNodes.length === nodes.size ? nodes : new Set(keptNodes),
    edges: keptEdges.length === edges.size ? edges : new Set(keptEdges),
  };
}
