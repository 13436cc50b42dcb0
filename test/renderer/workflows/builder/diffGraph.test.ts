/** The graph of a version diff (renderer/src/workflows/builder/diffGraph.ts). */
import { describe, expect, it } from 'vitest';
import { workflowDefinition, type WorkflowDefinition } from '../../../../shared/workflows/workflowDefinition.js';
import { diffGraph } from '../../../../renderer/src/workflows/builder/diffGraph.js';
import { toFlowEdges, toFlowNodes } from '../../../../renderer/src/workflows/builder/flowElements.js';

const version = (definition: unknown): WorkflowDefinition => workflowDefinition.parse(definition);

const before = version({
  name: 'order',
  nodes: [
    { id: 'fetch', kind: 'task', queue: 'jobs', type: 'fetch', position: { x: 0, y: 0 } },
    { id: 'charge', kind: 'task', queue: 'jobs', type: 'charge', position: { x: 200, y: 0 } },
    { id: 'old', kind: 'task', queue: 'jobs', type: 'old', position: { x: 200, y: 150 } },
  ],
  edges: [
    { from: 'fetch', to: 'charge' },
    { from: 'fetch', to: 'old' },
  ],
});
const after = version({
  name: 'order',
  nodes: [
    { id: 'fetch', kind: 'task', queue: 'jobs', type: 'fetch', position: { x: 10, y: 0 } },
    { id: 'charge', kind: 'task', queue: 'jobs', type: 'charge', timeoutMs: 5000, position: { x: 200, y: 0 } },
    { id: 'notify', kind: 'task', queue: 'mail', type: 'notify', position: { x: 400, y: 0 } },
  ],
  edges: [
    { from: 'fetch', to: 'charge', when: 'input.paid' },
    { from: 'charge', to: 'notify' },
  ],
});

describe('version diff graph', () => {
  it('marks nodes added, removed (drawn where the older version had them), changed with their settings, and same', () => {
    const graph = diffGraph(before, after);
    expect(Object.fromEntries(graph.nodeMarks)).toEqual({
      fetch: { mark: 'same', fields: [] },
      charge: { mark: 'changed', fields: ['timeoutMs'] },
      notify: { mark: 'added', fields: [] },
      old: { mark: 'removed', fields: [] },
    });
    expect(graph.definition.nodes.map((node) => node.id)).toEqual(['fetch', 'charge', 'notify', 'old']);
    expect(graph.definition.nodes[3]!.position).toEqual({ x: 200, y: 150 });
  });

  it('marks edges added, removed (kept in the drawing) and changed conditions', () => {
    const graph = diffGraph(before, after);
    expect(Object.fromEntries(graph.edgeMarks)).toEqual({ 'fetch->charge': 'changed', 'charge->notify': 'added', 'fetch->old': 'removed' });
    const edges = toFlowEdges(graph.definition, { diff: graph.edgeMarks });
    expect(edges.map((edge) => [edge.id, edge.className])).toEqual([
      ['fetch->charge', 'diff-changed'],
      ['charge->notify', 'diff-added'],
      ['fetch->old', 'diff-removed'],
    ]);
    const nodes = toFlowNodes(graph.definition, { diff: graph.nodeMarks });
    expect(nodes.find((node) => node.id === 'charge')!.data.diff).toEqual({ mark: 'changed', fields: ['timeoutMs'] });
  });

  it('lays out versions saved without positions, and finds nothing between a version and itself', () => {
    const bare = version({ name: 'x', nodes: [{ id: 'a', kind: 'branch' }, { id: 'b', kind: 'branch' }], edges: [{ from: 'a', to: 'b' }] });
    const graph = diffGraph(bare, bare);
    expect([...graph.nodeMarks.values()].every((mark) => mark.mark === 'same')).toBe(true);
    const [a, b] = graph.definition.nodes;
    expect(b!.position!.x).toBeGreaterThan(a!.position!.x);
  });
});
