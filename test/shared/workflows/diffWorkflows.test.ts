/** What changed between two workflow versions, as the builder's history highlights it. */
import { describe, expect, it } from 'vitest';
import { diffWorkflows } from '../../../shared/workflows/diffWorkflows.js';
import { workflowDefinition, type WorkflowDefinitionInput } from '../../../shared/workflows/workflowDefinition.js';

const parse = (input: WorkflowDefinitionInput) => workflowDefinition.parse(input);

describe('diffWorkflows', () => {
  const before = parse({
    name: 'flow',
    nodes: [
      { id: 'a', kind: 'task', queue: 'q', type: 't', input: { x: 1, y: [1, 2] }, position: { x: 0, y: 0 } },
      { id: 'b', kind: 'task', queue: 'q', type: 't' },
      { id: 'c', kind: 'branch' },
    ],
    edges: [
      { from: 'a', to: 'b' },
      { from: 'a', to: 'c', when: 'input.go' },
    ],
  });

  it('finds nothing between a version and itself, nor in moved nodes or reordered keys', () => {
    const moved = parse({ ...before, nodes: [{ ...before.nodes[0]!, input: { y: [1, 2], x: 1 }, position: { x: 300, y: 90 } } as never, before.nodes[1]!, before.nodes[2]!] });
    expect(diffWorkflows(before, moved)).toEqual({ nodes: { added: [], removed: [], changed: [] }, edges: { added: [], removed: [], changed: [] }, description: false });
  });

  it('names added, removed and changed nodes and edges, with the changed settings', () => {
    const after = parse({
      name: 'flow',
      description: 'now described',
      nodes: [
        { id: 'a', kind: 'task', queue: 'q', type: 't2', input: { x: 1, y: [2, 1] } },
        { id: 'c', kind: 'task', queue: 'q', type: 't' },
        { id: 'd', kind: 'task', queue: 'q', type: 't', join: 'any' },
      ],
      edges: [
        { from: 'a', to: 'c', when: 'input.go == true' },
        { from: 'c', to: 'd' },
      ],
    });
    expect(diffWorkflows(before, after)).toEqual({
      nodes: { added: ['d'], removed: ['b'], changed: [{ id: 'a', fields: ['input', 'type'] }, { id: 'c', fields: ['input', 'kind', 'queue', 'type'] }] },
      edges: { added: [{ from: 'c', to: 'd' }], removed: [{ from: 'a', to: 'b' }], changed: [{ from: 'a', to: 'c' }] },
      description: true,
    });
  });
});
