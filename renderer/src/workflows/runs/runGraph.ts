/**
 * The run view's graph, built from the definition the run ran and the nodes' states: one React
 * Flow node per workflow node (placed where the author saved it when every node has a saved
 * position; otherwise by `layoutWorkflow`, as the builder's Auto-layout does) and one edge per
 * definition edge, styled by whether the run took it.
 *
 * Updates keep objects stable: `patchRunNodes` answers the same node object for every node whose
 * shown data did not change, and the same array when none did, so React Flow and the memoised
 * node components redraw only the nodes an event changed (a 500-node run stays cheap to follow).
 */
import type { Edge, Node } from '@xyflow/react';
import type { RunView } from '../../../../shared/api/schemas/workflowRuns.js';
import type { WorkflowDefinition, WorkflowNodeKind } from '../../../../shared/workflows/workflowDefinition.js';
import { layoutWorkflow, type Positions } from '../graph/layoutWorkflow.js';
import { displayState, type DisplayState, type RunState } from './nodeDisplay.js';
import type { RunNodeStatus } from './runFrameDiff.js';

/** Every node is drawn at this size, so layout, culling and edges need no measuring. */
export const runNodeSize = { width: 200, height: 84 } as const;

/** What one node card shows. */
export interface RunNodeData extends Record<string, unknown> {
  label: string;
  kind: WorkflowNodeKind;
  /** The state as shown (`paused` for a waiting node of a paused run). */
  display: DisplayState;
  starts: number;
  items: RunNodeStatus['items'];
  startedAt: number | null;
  finishedAt: number | null;
  /**
   * The node task's attempt count: as the agent recorded it (when the node finished, or when an
   * attempt failed and the task is retried), or as read with the task when the node was selected
   * (for the same start), whichever is higher; null when neither.
   */
  attempts: number | null;
  selected: boolean;
}

export type RunFlowNode = Node<RunNodeData, 'runNode'>;

export type EdgeDecision = 'taken' | 'skipped' | 'undecided';
export type RunFlowEdge = Edge<{ decision: EdgeDecision }>;

/** What the shown data of the nodes depends on besides the definition. */
export interface RunNodeInputs {
  runState: RunState;
  statuses: Readonly<Record<string, RunNodeStatus>>;
  /** Attempt counts read with the nodes' tasks, each for the start of the node it was read at. */
  attempts: Readonly<Record<string, ReadAttempts>>;
  selected: string | null;
}

/** A node task's attempt count as read (`tasks.get`), and which start of the node that task was. */
export interface ReadAttempts {
  starts: number;
  attempts: number;
}

/**
 * What the card shows as attempts: the higher of the count the agent recorded and a read of this
 * start's task (a read of an earlier start's task is of another task); null when there is neither.
 */
export function shownAttempts(status: RunNodeStatus | undefined, read: ReadAttempts | undefined): number | null {
  const recorded = typeof status?.attempts === 'number' ? status.attempts : null;
  const readNow = read && read.starts === (status?.starts ?? 0) ? read.attempts : null;
  if (recorded === null) return readNow;
  return readNow === null ? recorded : Math.max(recorded, readNow);
}

/** The author's saved positions when every node has one, otherwise `layoutWorkflow`'s. */
export function nodePositions(definition: Pick<WorkflowDefinition, 'nodes' | 'edges'>): Positions {
  if (definition.nodes.every((node) => node.position !== undefined)) {
    return new Map(definition.nodes.map((node) => [node.id, { x: node.position!.x, y: node.position!.y }]));
  }
  const boxes = definition.nodes.map((node) => ({ id: node.id, ...runNodeSize }));
  return layoutWorkflow(boxes, definition.edges);
}

const edgeId = (from: string, to: string) => `${from}->${to}`;

function nodeData(id: string, label: string, kind: WorkflowNodeKind, inputs: RunNodeInputs): RunNodeData {
  const status = inputs.statuses[id];
  return {
    label,
    kind,
    display: displayState(status?.state ?? 'waiting', inputs.runState),
    starts: status?.starts ?? 0,
    items: status?.items ?? null,
    startedAt: status?.startedAt ?? null,
    finishedAt: status?.finishedAt ?? null,
    attempts: shownAttempts(status, inputs.attempts[id]),
    selected: inputs.selected === id,
  };
}

function sameData(a: RunNodeData, b: RunNodeData): boolean {
  return (
    a.display === b.display &&
    a.starts === b.starts &&
    a.startedAt === b.startedAt &&
    a.finishedAt === b.finishedAt &&
    a.attempts === b.attempts &&
    a.selected === b.selected &&
    a.items?.total === b.items?.total &&
    a.items?.finished === b.items?.finished &&
    a.label === b.label &&
    a.kind === b.kind
  );
}

export function buildRunNodes(definition: Pick<WorkflowDefinition, 'nodes' | 'edges'>, inputs: RunNodeInputs): RunFlowNode[] {
  const positions = nodePositions(definition);
  const { width, height } = runNodeSize;
  return definition.nodes.map((node) => ({
    id: node.id,
    type: 'runNode',
    position: positions.get(node.id)!,
    width,
    height,
    // Declared size and edge ends: React Flow counts the node as initialised before it is ever
    // rendered, so culling draws only the cards in view from the first frame (an unmeasured node
    // is always rendered once). Edges are drawn by RunEdges from the same numbers.
    measured: { width, height },
    handles: [
      { type: 'target', position: 'left', x: 0, y: height / 2, width: 1, height: 1 },
      { type: 'source', position: 'right', x: width - 1, y: height / 2, width: 1, height: 1 },
    ],
    data: nodeData(node.id, node.label ?? node.id, node.kind, inputs),
  })) as RunFlowNode[];
}

/** `nodes` with new objects only for the nodes whose shown data changed; the same array when none did. */
export function patchRunNodes(nodes: readonly RunFlowNode[], inputs: RunNodeInputs): RunFlowNode[] {
  let next: RunFlowNode[] | null = null;
  nodes.forEach((node, index) => {
    const data = nodeData(node.id, node.data.label, node.data.kind, inputs);
    if (sameData(node.data, data)) return;
    next ??= nodes.slice();
    next[index] = { ...node, data };
  });
  return next ?? (nodes as RunFlowNode[]);
}

function decisionsOf(decided: RunView['edges']): Map<string, EdgeDecision> {
  return new Map(decided.map((edge) => [edgeId(edge.from, edge.to), edge.taken ? 'taken' : 'skipped']));
}

export function buildRunEdges(definition: Pick<WorkflowDefinition, 'edges'>, decided: RunView['edges']): RunFlowEdge[] {
  const decisions = decisionsOf(decided);
  return definition.edges.map((edge) => {
    const id = edgeId(edge.from, edge.to);
    const decision = decisions.get(id) ?? 'undecided';
    return { id, source: edge.from, target: edge.to, className: decision, data: { decision }, label: edge.when };
  });
}

/** `edges` with new objects only for the edges whose decision changed; the same array when none did. */
export function patchRunEdges(edges: readonly RunFlowEdge[], decided: RunView['edges']): RunFlowEdge[] {
  const decisions = decisionsOf(decided);
  let next: RunFlowEdge[] | null = null;
  edges.forEach((edge, index) => {
    const decision = decisions.get(edge.id) ?? 'undecided';
    if (edge.data?.decision === decision) return;
    next ??= edges.slice();
    next[index] = { ...edge, className: decision, data: { decision } };
  });
  return next ?? (edges as RunFlowEdge[]);
}
