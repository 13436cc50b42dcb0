/** The draft as React Flow nodes and edges, and problems by node (renderer/src/workflows/builder/flowElements.ts). */
import { describe, expect, it } from 'vitest';
import { validateWorkflow } from '../../../../shared/workflows/validateWorkflow.js';
import type { DraftDefinition } from '../../../../renderer/src/workflows/builder/draftDefinition.js';
import { edgeEndsOf, edgeId, problemsByNode, selectionWithin, toFlowEdges, toFlowNodes } from '../../../../renderer/src/workflows/builder/flowElements.js';

const cyclic: DraftDefinition = {
  name: 'loop',
  nodes: [
    { id: 'start', kind: 'task', queue: 'jobs', type: 'start', input: {}, position: { x: 0, y: 0 } },
    { id: 'a', kind: 'task', queue: 'jobs', type: 'a', input: {}, position: { x: 200, y: 0 } },
    { id: 'b', kind: 'branch', position: { x: 400, y: 0 } },
  ],
  edges: [
    { from: 'start', to: 'a' },
    { from: 'a', to: 'b' },
    { from: 'b', to: 'a', when: 'input.again' },
  ],
};

describe('flow elements', () => {
  it('draws one flow node per workflow node, with its problems, selection and measured size', () => {
    const validation = validateWorkflow(cyclic);
    expect(validation.valid).toBe(false);
    const problems = problemsByNode(validation.problems);
    expect(problems.get('a')).toEqual(['cycle: a → b → a']);
    expect(problems.has('start')).toBe(false);
    const nodes = toFlowNodes(cyclic, { problems, selected: new Set(['b']), measured: new Map([['a', { width: 190, height: 70 }]]) });
    expect(nodes.map((node) => [node.id, node.type, node.selected, node.data.problems.length])).toEqual([
      ['start', 'workflowNode', false, 0],
      ['a', 'workflowNode', false, 1],
      ['b', 'workflowNode', true, 1],
    ]);
    expect(nodes[1]!.measured).toEqual({ width: 190, height: 70 });
    expect(nodes[0]).not.toHaveProperty('measured');
    expect(nodes[2]!.position).toEqual({ x: 400, y: 0 });
    expect(nodes[2]!.data.node).toBe(cyclic.nodes[2]);
  });

  it('draws edges with ids that lead back to their ends, labelled with their condition', () => {
    const edges = toFlowEdges(cyclic, { selected: new Set(['b->a']) });
    expect(edges.map((edge) => [edge.id, edge.source, edge.target, edge.label, edge.selected])).toEqual([
      ['start->a', 'start', 'a', undefined, false],
      ['a->b', 'a', 'b', undefined, false],
      ['b->a', 'b', 'a', 'input.again', true],
    ]);
    expect(edgeEndsOf(edgeId({ from: 'b', to: 'a' }))).toEqual({ from: 'b', to: 'a' });
  });

  it('lists a problem about several nodes on each of them once', () => {
    const problems = problemsByNode([
      { nodeIds: ['x', 'y', 'x'], path: 'edges', message: 'cycle' },
      { nodeIds: [], path: 'name', message: 'bad name' },
      { nodeIds: ['x'], path: 'nodes[0].queue', message: 'unknown queue' },
    ]);
    expect(problems).toEqual(new Map([['x', ['cycle', 'unknown queue']], ['y', ['cycle']]]));
  });
});

describe('selection after a change', () => {
  it('keeps only the selected nodes and edges the definition still has, and the same sets when all remain', () => {
    const nodes = new Set(['a', 'gone']);
    const edges = new Set(['a->b', 'x->y']);
    const kept = selectionWithin(cyclic, nodes, edges);
    expect([...kept.nodes]).toEqual(['a']);
    expect([...kept.edges]).toEqual(['a->b']);
    const all = new Set(['a', 'b']);
    const none = new Set<string>();
    const same = selectionWithin(cyclic, all, none);
    expect(same.nodes).toBe(all);
    expect(same.edges).toBe(none);
  });
});
