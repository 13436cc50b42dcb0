/**
 * What changed between two versions of a workflow: nodes added, removed and changed (naming the
 * settings that differ), and edges added, removed and changed (a different condition). The
 * builder's version history highlights these; the API answers them for `GET …/diff`. Positions
 * on the canvas are not changes.
 */
import type { JsonValue } from './expression/JsonValue.js';
import type { WorkflowDefinition, WorkflowEdge, WorkflowNode } from './workflowDefinition.js';

export interface NodeChange {
  id: string;
  /** The settings that differ, e.g. `['input', 'retry']`; `kind` when the node became another kind. */
  fields: string[];
}

export interface EdgeKey {
  from: string;
  to: string;
}

export interface WorkflowDiff {
  nodes: { added: string[]; removed: string[]; changed: NodeChange[] };
  edges: { added: EdgeKey[]; removed: EdgeKey[]; changed: EdgeKey[] };
  /** The description changed. */
  description: boolean;
}

type Definition = Pick<WorkflowDefinition, 'nodes' | 'edges' | 'description'>;

export function diffWorkflows(before: Definition, after: Definition): WorkflowDiff {
  const beforeNodes = new Map(before.nodes.map((node) => [node.id, node]));
  const afterNodes = new Map(after.nodes.map((node) => [node.id, node]));
  const beforeEdges = new Map(before.edges.map((edge) => [edgeKey(edge), edge]));
  const afterEdges = new Map(after.edges.map((edge) => [edgeKey(edge), edge]));
  return {
    nodes: {
      added: [...afterNodes.keys()].filter((id) => !beforeNodes.has(id)),
      removed: [...beforeNodes.keys()].filter((id) => !afterNodes.has(id)),
      changed: [...afterNodes.values()].flatMap((node) => {
        const previous = beforeNodes.get(node.id);
        const fields = previous ? changedFields(previous, node) : [];
        return fields.length > 0 ? [{ id: node.id, fields }] : [];
      }),
    },
    edges: {
      added: [...afterEdges.entries()].filter(([key]) => !beforeEdges.has(key)).map(([, edge]) => ends(edge)),
      removed: [...beforeEdges.entries()].filter(([key]) => !afterEdges.has(key)).map(([, edge]) => ends(edge)),
      changed: [...afterEdges.entries()].filter(([key, edge]) => beforeEdges.has(key) && beforeEdges.get(key)!.when !== edge.when).map(([, edge]) => ends(edge)),
    },
    description: (before.description ?? '') !== (after.description ?? ''),
  };
}

function edgeKey(edge: WorkflowEdge): string {
  return `${edge.from}\n${edge.to}`;
}

function ends(edge: WorkflowEdge): EdgeKey {
  return { from: edge.from, to: edge.to };
}

function changedFields(before: WorkflowNode, after: WorkflowNode): string[] {
  const left = before as unknown as Record<string, JsonValue | undefined>;
  const right = after as unknown as Record<string, JsonValue | undefined>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  keys.delete('id');
  keys.delete('position');
  return [...keys].filter((key) => !sameJson(left[key], right[key])).sort();
}

/** Structural equality of JSON values, object key order ignored. */
function sameJson(left: JsonValue | undefined, right: JsonValue | undefined): boolean {
  if (left === right) return true;
  if (left === null || right === null || left === undefined || right === undefined || typeof left !== 'object' || typeof right !== 'object') return false;
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  if (Array.isArray(left) && Array.isArray(right)) return left.length === right.length && left.every((item, at) => sameJson(item, right[at]));
  const leftObject = left as Record<string, JsonValue>;
  const rightObject = right as Record<string, JsonValue>;
  const keys = Object.keys(leftObject);
  return keys.length === Object.keys(rightObject).length && keys.every((key) => Object.hasOwn(rightObject, key) && sameJson(leftObject[key], rightObject[key]));
}
