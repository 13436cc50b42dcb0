/** Building and patching the run graph (renderer/src/workflows/runs/runGraph.ts). */
import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../../../../shared/workflows/workflowDefinition.js';
import { dagreNodeLimit } from '../../../../renderer/src/workflows/graph/layoutWorkflow.js';
import { buildRunEdges, buildRunNodes, nodePositions, patchRunEdges, patchRunNodes, runNodeSize, shownAttempts, type RunNodeInputs } from '../../../../renderer/src/workflows/runs/runGraph.js';
import type { RunNodeStatus } from '../../../../renderer/src/workflows/runs/runFrameDiff.js';

const task = (id: string, position?: { x: number; y: number }) => ({ id, kind: 'task' as const, queue: 'q', type: 't', input: {}, join: 'all' as const, ...(position ? { position } : {}) });
const diamond = (positions = false): Pick<WorkflowDefinition, 'nodes' | 'edges'> => ({
  nodes: ['a', 'b', 'c', 'd'].map((id, index) => task(id, positions ? { x: index * 300, y: 7 } : undefined)),
  edges: [
    { from: 'a', to: 'b' },
    { from: 'a', to: 'c', when: 'input.go' },
    { from: 'b', to: 'd' },
    { from: 'c', to: 'd' },
  ],
});
const status = (id: string, fields: Partial<RunNodeStatus> = {}): RunNodeStatus => ({ id, state: 'waiting', starts: 0, items: null, startedAt: null, finishedAt: null, ...fields });
const inputs = (fields: Partial<RunNodeInputs> = {}): RunNodeInputs => ({ runState: 'running', statuses: {}, attempts: {}, selected: null, ...fields });

describe('the run graph', () => {
  it('uses the saved positions when every node has one, and lays out otherwise', () => {
    expect(nodePositions(diamond(true)).get('c')).toEqual({ x: 600, y: 7 });
    const partly = diamond(true);
    partly.nodes[3] = task('d');
    const laidOut = nodePositions(partly);
    expect(laidOut.get('c')).not.toEqual({ x: 600, y: 7 });
    expect(laidOut.get('d')!.x).toBeGreaterThan(laidOut.get('b')!.x + runNodeSize.width);
  });

  it('lays out a workflow bigger than dagre handles quickly in layers, every edge pointing right', () => {
    const count = dagreNodeLimit + 50;
    const nodes = Array.from({ length: count }, (_, index) => task(`n${index}`));
    const edges = nodes.slice(10).map((node, index) => ({ from: `n${index}`, to: node.id }));
    const positions = nodePositions({ nodes, edges });
    expect(positions.size).toBe(count);
    for (const edge of edges) expect(positions.get(edge.to)!.x).toBeGreaterThan(positions.get(edge.from)!.x + runNodeSize.width);
  });

  it('builds one fixed-size node per definition node with its shown state, and edges with their decisions', () => {
    const statuses = { a: status('a', { state: 'succeeded', starts: 1, startedAt: 1, finishedAt: 2 }), b: status('b', { state: 'running', starts: 1, startedAt: 2 }) };
    const nodes = buildRunNodes(diamond(), inputs({ runState: 'paused', statuses, attempts: { b: { starts: 1, attempts: 3 } }, selected: 'b' }));
    expect(nodes.map((node) => [node.id, node.data.display])).toEqual([
      ['a', 'succeeded'],
      ['b', 'running'],
      ['c', 'paused'],
      ['d', 'paused'],
    ]);
    expect(nodes[1]).toMatchObject({ type: 'runNode', width: runNodeSize.width, height: runNodeSize.height, data: { attempts: 3, selected: true, starts: 1 } });
    expect(nodes[1]!.measured).toEqual({ width: runNodeSize.width, height: runNodeSize.height });
    expect(nodes[1]!.handles!.map((handle) => [handle.type, handle.position])).toEqual([
      ['target', 'left'],
      ['source', 'right'],
    ]);
    const edges = buildRunEdges(diamond(), [
      { from: 'a', to: 'b', taken: true },
      { from: 'a', to: 'c', taken: false },
    ]);
    expect(edges.map((edge) => [edge.id, edge.className])).toEqual([
      ['a->b', 'taken'],
      ['a->c', 'skipped'],
      ['b->d', 'undecided'],
      ['c->d', 'undecided'],
    ]);
    expect(edges[1]!.label).toBe('input.go');
  });

  it("shows the higher of the attempts the agent recorded and a read of the same start's task", () => {
    const finished = status('a', { state: 'succeeded', starts: 2, attempts: 4 });
    expect(shownAttempts(finished, { starts: 2, attempts: 1 })).toBe(4);
    // Recorded at the second attempt's failure; the read came during the third.
    expect(shownAttempts(status('a', { state: 'running', starts: 2, attempts: 2 }), { starts: 2, attempts: 3 })).toBe(3);
    const running = status('a', { state: 'running', starts: 2, attempts: null });
    expect(shownAttempts(running, { starts: 2, attempts: 2 })).toBe(2);
    // Read before a retry from the node started it again: that was another task.
    expect(shownAttempts(running, { starts: 1, attempts: 3 })).toBeNull();
    expect(shownAttempts(running, undefined)).toBeNull();
    // An agent that does not send attempts.
    expect(shownAttempts(status('a', { state: 'failed', starts: 1 }), { starts: 1, attempts: 5 })).toBe(5);
  });

  it('replaces only the nodes whose shown data changed, and keeps the array when none did', () => {
    const definition = diamond();
    const first = inputs({ statuses: { a: status('a', { state: 'running', starts: 1, startedAt: 1 }) } });
    const nodes = buildRunNodes(definition, first);
    expect(patchRunNodes(nodes, { ...first, statuses: { ...first.statuses } })).toBe(nodes);

    const done = { a: status('a', { state: 'succeeded', starts: 1, startedAt: 1, finishedAt: 5 }) };
    const next = patchRunNodes(nodes, { ...first, statuses: done });
    expect(next).not.toBe(nodes);
    expect(next[0]!.data).toMatchObject({ display: 'succeeded', finishedAt: 5 });
    expect(next[0]!.position).toBe(nodes[0]!.position);
    expect(next.slice(1).every((node, index) => node === nodes[index + 1])).toBe(true);

    // Pausing the run changes every waiting node (now shown paused), and only those.
    const paused = patchRunNodes(next, { ...first, runState: 'paused', statuses: done });
    expect(paused[0]).toBe(next[0]);
    expect(paused.slice(1).map((node) => node.data.display)).toEqual(['paused', 'paused', 'paused']);
  });

  it('replaces only the edges whose decision changed', () => {
    const edges = buildRunEdges(diamond(), []);
    expect(patchRunEdges(edges, [])).toBe(edges);
    const next = patchRunEdges(edges, [{ from: 'b', to: 'd', taken: true }]);
    expect(next[2]).toMatchObject({ className: 'taken', data: { decision: 'taken' } });
    expect(next.filter((edge, index) => edge !== edges[index]).map((edge) => edge.id)).toEqual(['b->d']);
  });
});
