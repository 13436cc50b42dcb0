/**
 * The builder's changes to a draft definition, each a pure function answering a new draft (the
 * old one is left alone, so the edit history can keep it): add, change, rename and remove nodes,
 * connect nodes, set an edge's condition, move nodes. A change that would not change anything
 * answers the same object, so callers can skip a history entry.
 */
import { renameInEdge, renameInNode } from '../../../../shared/workflows/renameNodeReferences.js';
import { nodeIdProblem, edgesOf, type DraftDefinition, type DraftEdge, type DraftNode, type NodePosition } from './draftDefinition.js';

export interface EdgeEnds {
  from: string;
  to: string;
}

const sameEnds = (edge: EdgeEnds, other: EdgeEnds) => edge.from === other.from && edge.to === other.to;

export function addNodes(definition: DraftDefinition, nodes: readonly DraftNode[]): DraftDefinition {
  return nodes.length === 0 ? definition : { ...definition, nodes: [...definition.nodes, ...nodes] };
}

/**
 * Node `id` with `settings` laid over it. A setting given as `undefined` is removed (a cleared
 * timeout, say). The id cannot change here: see `renameNode`.
 */
export function updateNode(definition: DraftDefinition, id: string, settings: Record<string, unknown>): DraftDefinition {
  let changed = false;
  const nodes = definition.nodes.map((node) => {
    if (node.id !== id) return node;
    const next: Record<string, unknown> = { ...node };
    for (const [key, value] of Object.entries(settings)) {
      if (key === 'id' || key === 'kind') continue;
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    if (JSON.stringify(next) === JSON.stringify(node)) return node;
    changed = true;
    return next as DraftNode;
  });
  return changed ? { ...definition, nodes } : definition;
}

/**
 * Renames node `from` to `to`, its edges with it, and what expressions read of it (input
 * templates, map lists, edge conditions: `nodes.from…` becomes `nodes.to…`); throws, saying why,
 * when `to` is not a free, well-formed id.
 */
export function renameNode(definition: DraftDefinition, from: string, to: string): DraftDefinition {
  if (from === to) return definition;
  const problem = nodeIdProblem(definition, from, to);
  if (problem) throw new Error(problem);
  const rename = (id: string) => (id === from ? to : id);
  const renames = new Map([[from, to]]);
  return {
    ...definition,
    nodes: definition.nodes.map((node) => renameInNode(node.id === from ? { ...node, id: to } : node, renames)),
    edges: edgesOf(definition).map((edge) => renameInEdge(edge.from === from || edge.to === from ? { ...edge, from: rename(edge.from), to: rename(edge.to) } : edge, renames)),
  };
}

/** Removes the nodes (with every edge touching them) and the edges named. */
export function removeElements(definition: DraftDefinition, nodeIds: Iterable<string>, edges: readonly EdgeEnds[] = []): DraftDefinition {
  const gone = new Set(nodeIds);
  const nodes = definition.nodes.filter((node) => !gone.has(node.id));
  const kept = edgesOf(definition).filter((edge) => !gone.has(edge.from) && !gone.has(edge.to) && !edges.some((removed) => sameEnds(edge, removed)));
  if (nodes.length === definition.nodes.length && kept.length === edgesOf(definition).length) return definition;
  return { ...definition, nodes, edges: kept };
}

/** Adds the edge `from` → `to` unless it is there already or loops on one node. */
export function connectNodes(definition: DraftDefinition, ends: EdgeEnds): DraftDefinition {
  if (ends.from === ends.to || edgesOf(definition).some((edge) => sameEnds(edge, ends))) return definition;
  return { ...definition, edges: [...edgesOf(definition), { from: ends.from, to: ends.to }] };
}

/** Sets (or, with blank text, removes) the condition of edge `ends`. The text is kept as typed; the validator parses it. */
export function setEdgeCondition(definition: DraftDefinition, ends: EdgeEnds, when: string): DraftDefinition {
  let changed = false;
  const edges = edgesOf(definition).map((edge): DraftEdge => {
    if (!sameEnds(edge, ends)) return edge;
    const next: DraftEdge = when.trim() === '' ? { from: edge.from, to: edge.to } : { ...edge, when };
    changed ||= next.when !== edge.when;
    return next;
  });
  return changed ? { ...definition, edges } : definition;
}

/** Puts the nodes named in `positions` there (rounded to whole pixels); others stay. */
export function moveNodes(definition: DraftDefinition, positions: ReadonlyMap<string, NodePosition>): DraftDefinition {
  let changed = false;
  const nodes = definition.nodes.map((node) => {
    const position = positions.get(node.id);
    if (!position) return node;
    const next = { x: Math.round(position.x), y: Math.round(position.y) };
    if (node.position?.x === next.x && node.position.y === next.y) return node;
    changed = true;
    return { ...node, position: next };
  });
  return changed ? { ...definition, nodes } : definition;
}

/** The description set, or removed when blank. */
export function describeWorkflow(definition: DraftDefinition, description: string): DraftDefinition {
  const next: DraftDefinition = { ...definition };
  if (description.trim() === '') delete next.description;
  else next.description = description;
  return (next.description ?? '') === (definition.description ?? '') ? definition : next;
}
