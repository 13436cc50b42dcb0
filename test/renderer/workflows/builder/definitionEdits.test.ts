/** Draft definitions and the builder's edits of them (renderer/src/workflows/builder/draftDefinition.ts, definitionEdits.ts). */
import { describe, expect, it } from 'vitest';
import { validateWorkflow } from '../../../../shared/workflows/validateWorkflow.js';
import { connectNodes, describeWorkflow, moveNodes, removeElements, renameNode, setEdgeCondition, updateNode } from '../../../../renderer/src/workflows/builder/definitionEdits.js';
import { emptyDefinition, newNode, nodeIdProblem, uniqueNodeId, type DraftDefinition } from '../../../../renderer/src/workflows/builder/draftDefinition.js';

const chain: DraftDefinition = {
  name: 'order',
  nodes: [
    { id: 'fetch', kind: 'task', queue: 'jobs', type: 'order.fetch', input: {}, position: { x: 0, y: 0 } },
    { id: 'charge', kind: 'task', queue: 'jobs', type: 'order.charge', input: { total: '{{ nodes.fetch.output.total }}' }, position: { x: 250, y: 0 } },
    { id: 'notify', kind: 'task', queue: 'mail', type: 'notify', input: {}, position: { x: 500, y: 0 } },
  ],
  edges: [
    { from: 'fetch', to: 'charge' },
    { from: 'charge', to: 'notify', when: 'nodes.charge.output.ok' },
  ],
};

describe('node ids', () => {
  it('makes a free, well-formed id from any text', () => {
    expect(uniqueNodeId('fetch', new Set())).toBe('fetch');
    expect(uniqueNodeId('fetch', new Set(['fetch']))).toBe('fetch_2');
    expect(uniqueNodeId('fetch', new Set(['fetch', 'fetch_2']))).toBe('fetch_3');
    expect(uniqueNodeId('fetch_2', new Set(['fetch', 'fetch_2']))).toBe('fetch_3');
    expect(uniqueNodeId('step_1', new Set())).toBe('step_1');
    expect(uniqueNodeId('order-fetch v2', new Set())).toBe('order_fetch_v2');
    expect(uniqueNodeId('2fa', new Set())).toBe('_2fa');
    expect(uniqueNodeId('', new Set())).toBe('node');
  });

  it('says why an id cannot be used: malformed, or another node has it', () => {
    expect(nodeIdProblem(chain, 'fetch', 'fetch')).toBeNull();
    expect(nodeIdProblem(chain, 'fetch', 'load')).toBeNull();
    expect(nodeIdProblem(chain, 'fetch', 'charge')).toMatch(/already called charge/);
    expect(nodeIdProblem(chain, 'fetch', '1st')).toMatch(/starts with a letter/);
    expect(nodeIdProblem(chain, 'fetch', '')).toMatch(/starts with a letter/);
  });
});

describe('new nodes', () => {
  it('gives each kind its settings and an id named after its type or kind', () => {
    const task = newNode({ kind: 'task', queue: 'jobs', type: 'order.fetch' }, chain, { x: 5, y: 6 });
    expect(task).toEqual({ id: 'fetch_2', kind: 'task', queue: 'jobs', type: 'order.fetch', input: {}, position: { x: 5, y: 6 } });
    expect(newNode({ kind: 'branch' }, chain, { x: 0, y: 0 })).toEqual({ id: 'branch', kind: 'branch', position: { x: 0, y: 0 } });
    expect(newNode({ kind: 'workflow' }, chain, { x: 0, y: 0 }).id).toBe('subworkflow');
    const map = newNode({ kind: 'map' }, chain, { x: 0, y: 0 });
    expect(map).toMatchObject({ kind: 'map', over: 'input.items', concurrency: 10 });
  });

  it('leaves a free Task without queue or type, which the validator names on the node', () => {
    const task = newNode({ kind: 'task' }, emptyDefinition('w'), { x: 0, y: 0 });
    const validation = validateWorkflow({ name: 'w', nodes: [task] });
    expect(validation.valid).toBe(false);
    expect(validation.problems.map((problem) => [problem.nodeIds, problem.path])).toEqual([
      [['task'], 'nodes[0].queue'],
      [['task'], 'nodes[0].type'],
    ]);
  });
});

describe('edits', () => {
  it('changes a setting and removes one set to undefined, leaving the old draft alone', () => {
    const changed = updateNode(chain, 'charge', { timeoutMs: 5_000, retry: { maxAttempts: 3 } });
    expect(changed.nodes[1]).toMatchObject({ timeoutMs: 5_000, retry: { maxAttempts: 3 } });
    expect(chain.nodes[1]).not.toHaveProperty('timeoutMs');
    const cleared = updateNode(changed, 'charge', { timeoutMs: undefined });
    expect(cleared.nodes[1]).not.toHaveProperty('timeoutMs');
    expect(updateNode(chain, 'charge', { queue: 'jobs' })).toBe(chain);
    expect(updateNode(chain, 'charge', { id: 'other', kind: 'branch' })).toBe(chain);
  });

  it('renames a node with its edges and what expressions read of it, and refuses a taken or malformed id', () => {
    const renamed = renameNode(chain, 'charge', 'pay');
    expect(renamed.nodes.map((node) => node.id)).toEqual(['fetch', 'pay', 'notify']);
    expect(renamed.edges).toEqual([
      { from: 'fetch', to: 'pay' },
      { from: 'pay', to: 'notify', when: 'nodes.pay.output.ok' },
    ]);
    const loaded = renameNode(chain, 'fetch', 'load');
    expect(loaded.nodes.find((node) => node.id === 'charge')).toMatchObject({ input: { total: '{{ nodes.load.output.total }}' } });
    expect(validateWorkflow(loaded).valid).toBe(true);
    expect(() => renameNode(chain, 'charge', 'fetch')).toThrow(/already called fetch/);
    expect(() => renameNode(chain, 'charge', 'pay-now')).toThrow(/letters, digits and _/);
    expect(renameNode(chain, 'charge', 'charge')).toBe(chain);
  });

  it('removes nodes with every edge touching them, and single edges', () => {
    const withoutCharge = removeElements(chain, ['charge']);
    expect(withoutCharge.nodes.map((node) => node.id)).toEqual(['fetch', 'notify']);
    expect(withoutCharge.edges).toEqual([]);
    const withoutEdge = removeElements(chain, [], [{ from: 'fetch', to: 'charge' }]);
    expect(withoutEdge.nodes).toHaveLength(3);
    expect(withoutEdge.edges).toEqual([{ from: 'charge', to: 'notify', when: 'nodes.charge.output.ok' }]);
    expect(removeElements(chain, ['missing'])).toBe(chain);
  });

  it('connects two nodes once, never a node to itself', () => {
    const connected = connectNodes(chain, { from: 'fetch', to: 'notify' });
    expect(connected.edges).toHaveLength(3);
    expect(connectNodes(connected, { from: 'fetch', to: 'notify' })).toBe(connected);
    expect(connectNodes(chain, { from: 'fetch', to: 'fetch' })).toBe(chain);
    expect(connectNodes(emptyDefinition('w'), { from: 'a', to: 'b' }).edges).toEqual([{ from: 'a', to: 'b' }]);
  });

  it('sets an edge condition as typed and removes it when blank', () => {
    const set = setEdgeCondition(chain, { from: 'fetch', to: 'charge' }, 'input.paid');
    expect(set.edges![0]).toEqual({ from: 'fetch', to: 'charge', when: 'input.paid' });
    const cleared = setEdgeCondition(set, { from: 'fetch', to: 'charge' }, '  ');
    expect(cleared.edges![0]).toEqual({ from: 'fetch', to: 'charge' });
    expect(setEdgeCondition(chain, { from: 'fetch', to: 'charge' }, '')).toBe(chain);
  });

  it('moves nodes to whole pixels and answers the same draft when nothing moved', () => {
    const moved = moveNodes(chain, new Map([['fetch', { x: 10.4, y: 20.6 }]]));
    expect(moved.nodes[0]!.position).toEqual({ x: 10, y: 21 });
    expect(moved.nodes[1]).toBe(chain.nodes[1]);
    expect(moveNodes(moved, new Map([['fetch', { x: 10, y: 21 }]]))).toBe(moved);
  });

  it('sets and clears the description', () => {
    const described = describeWorkflow(chain, 'charge paid orders');
    expect(described.description).toBe('charge paid orders');
    expect(describeWorkflow(described, '')).not.toHaveProperty('description');
    expect(describeWorkflow(chain, '')).toBe(chain);
  });
});
