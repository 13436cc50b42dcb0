/**
 * The definition the builder edits: a workflow definition as written (`WorkflowDefinitionInput`),
 * which may still be invalid — an empty queue, a map without `over` — because the author is in
 * the middle of drawing it. `validateWorkflow` says what is wrong; nothing here refuses a draft.
 * Node ids are the exception: a node keeps an id that matches `nodeIdPattern` and no other node
 * has, because edges, the canvas and the problems all point at nodes by id.
 */
import { nodeIdPattern, type WorkflowDefinitionInput, type WorkflowEdge, type WorkflowNodeKind } from '../../../../shared/workflows/workflowDefinition.js';

export type DraftDefinition = WorkflowDefinitionInput;
export type DraftNode = DraftDefinition['nodes'][number];
export type DraftEdge = WorkflowEdge;
export type NodePosition = { x: number; y: number };

/** What the palette offers: a node kind, and for task-like kinds the queue and type to start with. */
export interface NodeTemplate {
  kind: WorkflowNodeKind;
  queue?: string;
  type?: string;
}

/** An empty workflow called `name`, to draw from scratch. */
export function emptyDefinition(name: string): DraftDefinition {
  return { name, nodes: [], edges: [] };
}

/** The edges of a draft (absent means none). */
export function edgesOf(definition: DraftDefinition): DraftEdge[] {
  return definition.edges ?? [];
}

/**
 * `base` made into a node id no node in `taken` has: characters an id may not hold become `_`,
 * a leading digit gets a `_` before it, and `_2`, `_3`, … are added until it is free.
 */
export function uniqueNodeId(base: string, taken: ReadonlySet<string>): string {
  let stem = base.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 56) || 'node';
  if (!/^[A-Za-z_]/.test(stem)) stem = `_${stem}`;
  if (!taken.has(stem)) return stem;
  // A copy of fetch_2 is fetch_3, not fetch_2_2.
  stem = stem.replace(/_\d+$/, '') || stem;
  for (let suffix = 2; ; suffix += 1) {
    const candidate = `${stem}_${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The word a new node's id starts from: its task type's last part, or its kind. */
function idBase(template: NodeTemplate): string {
  if (template.type) return template.type.split('.').at(-1) ?? template.type;
  return template.kind === 'workflow' ? 'subworkflow' : template.kind;
}

/** A new node of the template's kind at `position`, with an id no node of `definition` has. */
export function newNode(template: NodeTemplate, definition: DraftDefinition, position: NodePosition): DraftNode {
  const id = uniqueNodeId(idBase(template), new Set(definition.nodes.map((node) => node.id)));
  const queue = template.queue ?? '';
  const type = template.type ?? '';
  switch (template.kind) {
    case 'task':
      return { id, kind: 'task', queue, type, input: {}, position };
    case 'map':
      return { id, kind: 'map', queue, type, over: 'input.items', input: { item: '{{ item }}' }, concurrency: 10, position };
    case 'reduce':
      return { id, kind: 'reduce', queue, type, input: {}, position };
    case 'branch':
      return { id, kind: 'branch', position };
    case 'workflow':
      return { id, kind: 'workflow', workflow: '', input: {}, position };
  }
}

/** Why `id` cannot become the id of node `current`, or null when it can. */
export function nodeIdProblem(definition: DraftDefinition, current: string, id: string): string | null {
  if (!nodeIdPattern.test(id)) return 'an id starts with a letter or _ and holds only letters, digits and _ (at most 64)';
  if (id !== current && definition.nodes.some((node) => node.id === id)) return `another node is already called ${id}`;
  return null;
}
