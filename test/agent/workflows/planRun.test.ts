/** The run planner and the retry planner: pure decisions over a definition and a snapshot. */
import { describe, expect, it } from 'vitest';
import { workflowDefinition, type WorkflowDefinitionInput } from '../../../shared/workflows/workflowDefinition.js';
import { planRetry } from '../../../agent/workflows/planRetry.js';
import { planRun } from '../../../agent/workflows/planRun.js';
import { edgeKey, type RunNodeSnapshot, type RunSnapshot, type RunState } from '../../../agent/workflows/RunSnapshot.js';

const define = (nodes: Array<string | { id: string; join?: 'all' | 'any' }>, edges: Array<[string, string, string?]>) =>
  workflowDefinition.parse({
    name: 'test',
    nodes: nodes.map((node) => ({ kind: 'task', queue: 'q', type: 't', ...(typeof node === 'string' ? { id: node } : node) })),
    edges: edges.map(([from, to, when]) => ({ from, to, when })),
  } satisfies WorkflowDefinitionInput);

const snapshot = (nodes: Record<string, RunNodeSnapshot>, edges: Array<[string, string, boolean]> = [], state: RunState = 'running', input: unknown = {}): RunSnapshot => ({
  state,
  input: input as never,
  nodes: new Map(Object.entries(nodes)),
  edges: new Map(edges.map(([from, to, taken]) => [edgeKey(from, to), taken])),
});

const diamond = define(['a', 'b', 'c', 'd'], [['a', 'b'], ['a', 'c'], ['b', 'd'], ['c', 'd']]);

describe('planRun', () => {
  it('starts the entry nodes of a new run', () => {
    expect(planRun(diamond, snapshot({})).start).toEqual(['a']);
  });

  it('starts both branches of a diamond, then the join only when both are done', () => {
    const afterA = planRun(diamond, snapshot({ a: { state: 'succeeded', output: 1 } }), { changed: ['a'] });
    expect(afterA.start).toEqual(['b', 'c']);
    expect([...afterA.decideEdges]).toEqual([
      [edgeKey('a', 'b'), true],
      [edgeKey('a', 'c'), true],
    ]);
    const afterB = planRun(diamond, snapshot({ a: { state: 'succeeded' }, b: { state: 'succeeded' }, c: { state: 'running' } }, [['a', 'b', true], ['a', 'c', true]]), { changed: ['b'] });
    expect(afterB.start).toEqual([]);
    expect(afterB.state).toBe('running');
    const afterC = planRun(diamond, snapshot({ a: { state: 'succeeded' }, b: { state: 'succeeded' }, c: { state: 'succeeded' } }, [['a', 'b', true], ['a', 'c', true], ['b', 'd', true]]), { changed: ['c'] });
    expect(afterC.start).toEqual(['d']);
  });

  it('skips a branch whose condition is false, and everything only it leads to', () => {
    const definition = define(['check', 'charge', 'receipt', 'notify', 'done'], [['check', 'charge', 'nodes.check.output.paid'], ['charge', 'receipt'], ['check', 'notify', '!nodes.check.output.paid'], ['receipt', 'done'], ['notify', 'done']]);
    const plan = planRun(definition, snapshot({ check: { state: 'succeeded', output: { paid: false } } }), { changed: ['check'] });
    expect(plan.start).toEqual(['notify']);
    expect(plan.skip).toEqual(['charge', 'receipt']);
    expect(plan.decideEdges.get(edgeKey('receipt', 'done'))).toBe(false);
    const finish = planRun(
      definition,
      snapshot({ check: { state: 'succeeded' }, charge: { state: 'skipped' }, receipt: { state: 'skipped' }, notify: { state: 'succeeded', output: 'sent' } }, [...plan.decideEdges].map(([key, taken]) => [...(key.split('\u0000') as [string, string]), taken])),
      { changed: ['notify'] },
    );
    expect(finish.start).toEqual(['done']);
  });

  it('starts an any-join at the first taken edge', () => {
    const definition = define(['a', 'b', { id: 'first', join: 'any' }], [['a', 'first'], ['b', 'first']]);
    expect(planRun(definition, snapshot({ a: { state: 'succeeded' }, b: { state: 'running' } }), { changed: ['a'] }).start).toEqual(['first']);
  });

  it('skips a node all of whose incoming edges were skipped, whatever its join', () => {
    const definition = define(['a', { id: 'b', join: 'any' }], [['a', 'b', 'false']]);
    expect(planRun(definition, snapshot({ a: { state: 'succeeded' } }), { changed: ['a'] }).skip).toEqual(['b']);
  });

  it('succeeds when every node succeeded or was skipped, with the sink outputs', () => {
    const plan = planRun(diamond, snapshot({ a: { state: 'succeeded' }, b: { state: 'succeeded' }, c: { state: 'skipped' }, d: { state: 'succeeded', output: { total: 3 } } }, [['a', 'b', true], ['a', 'c', false], ['b', 'd', true], ['c', 'd', false]]));
    expect(plan).toMatchObject({ state: 'succeeded', output: { d: { total: 3 } }, start: [] });
  });

  it('fails when a node failed, starting nothing more, and says why', () => {
    const plan = planRun(diamond, snapshot({ a: { state: 'succeeded' }, b: { state: 'failed', error: { message: 'card declined' } }, c: { state: 'succeeded' } }, [['a', 'b', true], ['a', 'c', true]]), { changed: ['c'] });
    expect(plan).toMatchObject({ state: 'failed', start: [], failure: { nodeIds: ['b'], message: 'node b failed: card declined' } });
    const both = planRun(diamond, snapshot({ a: { state: 'succeeded' }, b: { state: 'failed' }, c: { state: 'failed', error: { message: 'timed out' } } }, [['a', 'b', true], ['a', 'c', true]]));
    expect(both.failure).toEqual({ nodeIds: ['b', 'c'], message: 'nodes b, c failed (c: timed out)' });
  });

  it('fails naming the edge when a condition cannot be evaluated', () => {
    const definition = define(['a', 'b'], [['a', 'b', 'nodes.a.output.count > "x"']]);
    const plan = planRun(definition, snapshot({ a: { state: 'succeeded', output: { count: 2 } } }), { changed: ['a'] });
    expect(plan.state).toBe('failed');
    expect(plan.failure?.nodeIds).toEqual(['a', 'b']);
    expect(plan.failure?.message).toContain("the condition of edge a → b failed: '>' compares two numbers or two strings");
  });

  it('records decisions but starts nothing while paused', () => {
    const plan = planRun(diamond, snapshot({ a: { state: 'succeeded' } }, [], 'paused'), { changed: ['a'] });
    expect(plan.start).toEqual([]);
    expect(plan.decideEdges.size).toBe(2);
    expect(plan.state).toBe('paused');
    expect(planRun(diamond, snapshot({ a: { state: 'succeeded' } }, [['a', 'b', true], ['a', 'c', true]], 'running')).start).toEqual(['b', 'c']);
  });

  it('looks only at what changed in a 2,000-node fan-out', () => {
    const leaves = Array.from({ length: 1_999 }, (_, at) => `n${at}`);
    const definition = workflowDefinition.parse({ name: 'wide', nodes: ['root', ...leaves].map((id) => ({ id, kind: 'task', queue: 'q', type: 't' })), edges: leaves.map((to) => ({ from: 'root', to })) });
    const started = planRun(definition, snapshot({ root: { state: 'succeeded' } }), { changed: ['root'] });
    expect(started.start).toHaveLength(1_999);
    const nodes: Record<string, RunNodeSnapshot> = { root: { state: 'succeeded' } };
    for (const leaf of leaves) nodes[leaf] = { state: 'running' };
    nodes['n5'] = { state: 'succeeded' };
    expect(planRun(definition, snapshot(nodes, leaves.map((leaf) => ['root', leaf, true])), { changed: ['n5'] })).toMatchObject({ start: [], skip: [], state: 'running' });
  });
});

describe('planRetry', () => {
  const chain = define(['a', 'b', 'c', 'd'], [['a', 'b'], ['b', 'c'], ['c', 'd']]);
  const failedAtC = snapshot({ a: { state: 'succeeded' }, b: { state: 'succeeded' }, c: { state: 'failed' } }, [['a', 'b', true], ['b', 'c', true]], 'failed');

  it('resets one node, keeping what ran after it', () => {
    const done = snapshot({ a: { state: 'succeeded' }, b: { state: 'succeeded' }, c: { state: 'succeeded' }, d: { state: 'succeeded' } }, [['a', 'b', true], ['b', 'c', true], ['c', 'd', true]], 'succeeded');
    expect(planRetry(chain, done, 'b', 'node')).toEqual({ reset: ['b'], forgetEdges: [] });
    expect(planRetry(chain, failedAtC, 'c', 'node')).toEqual({ reset: ['c'], forgetEdges: [] });
  });

  it('resets a node and everything downstream, with their edges', () => {
    const done = snapshot({ a: { state: 'succeeded' }, b: { state: 'succeeded' }, c: { state: 'succeeded' }, d: { state: 'succeeded' } }, [['a', 'b', true], ['b', 'c', true], ['c', 'd', true]], 'succeeded');
    expect(planRetry(chain, done, 'b', 'downstream')).toEqual({ reset: ['b', 'c', 'd'], forgetEdges: [edgeKey('b', 'c'), edgeKey('c', 'd')] });
  });

  it('resets only the failed and cancelled nodes from a node on', () => {
    expect(planRetry(chain, failedAtC, 'a', 'failed')).toEqual({ reset: ['c'], forgetEdges: [] });
    expect(() => planRetry(chain, failedAtC, 'zz', 'failed')).toThrow('no node zz');
  });

  it('lets the run continue after the reset', () => {
    const { reset } = planRetry(chain, failedAtC, 'c', 'node');
    const nodes = new Map(failedAtC.nodes);
    for (const id of reset) nodes.set(id, { state: 'waiting' });
    expect(planRun(chain, { ...failedAtC, state: 'running', nodes }).start).toEqual(['c']);
  });
});
