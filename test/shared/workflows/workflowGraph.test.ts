/** The workflow graph walks: cycles, reachability, ancestors, topological order. */
import { describe, expect, it } from 'vitest';
import { WorkflowGraph } from '../../../shared/workflows/workflowGraph.js';

const graph = (ids: string[], edges: Array<[string, string]>) =>
  new WorkflowGraph({ nodes: ids.map((id) => ({ id, kind: 'branch', join: 'all' })), edges: edges.map(([from, to]) => ({ from, to })) });

describe('WorkflowGraph', () => {
  it('orders a diamond with parents first and finds no cycle', () => {
    const diamond = graph(['d', 'c', 'b', 'a'], [['a', 'b'], ['a', 'c'], ['b', 'd'], ['c', 'd']]);
    const order = diamond.topologicalOrder();
    expect(order[0]).toBe('a');
    expect(order.at(-1)).toBe('d');
    expect(diamond.cycles()).toEqual([]);
    expect([...diamond.ancestors('d')].sort()).toEqual(['a', 'b', 'c']);
    expect(diamond.entries()).toEqual(['a']);
  });

  it('finds each cycle once and leaves its nodes out of the order', () => {
    const looped = graph(['a', 'b', 'c', 'x', 'y'], [['a', 'b'], ['b', 'c'], ['c', 'b'], ['x', 'y'], ['y', 'x']]);
    expect(looped.cycles().map((cycle) => [...cycle].sort())).toEqual([['b', 'c'], ['x', 'y']]);
    expect(looped.topologicalOrder()).toEqual(['a']);
    expect([...looped.reachableFrom(looped.entries())].sort()).toEqual(['a', 'b', 'c']);
  });

  it('walks a 10,000-node chain without recursion limits', () => {
    const ids = Array.from({ length: 10_000 }, (_, at) => `n${at}`);
    const chain = graph(ids, ids.slice(1).map((id, at) => [ids[at]!, id]));
    expect(chain.topologicalOrder()).toEqual(ids);
    expect(chain.cycles()).toEqual([]);
    expect(chain.ancestors('n9999').size).toBe(9_999);
  });
});
