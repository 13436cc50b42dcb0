/** The one workflow validator: good definitions pass with defaults filled in; each kind of mistake is refused naming its nodes. */
import { describe, expect, it } from 'vitest';
import type { WorkflowDefinitionInput } from '../../../shared/workflows/workflowDefinition.js';
import { validateWorkflow, type WorkflowProblem } from '../../../shared/workflows/validateWorkflow.js';

const task = (id: string, input: unknown = {}) => ({ id, kind: 'task' as const, queue: 'jobs', type: 'step', input: input as never });

/** fetch → (charge when paid | notify) → done, with a map/reduce beside it. */
const order: WorkflowDefinitionInput = {
  name: 'order',
  nodes: [
    task('fetch', { order: '{{ input.orderId }}' }),
    { id: 'route', kind: 'branch' },
    task('charge', { amount: '{{ nodes.fetch.output.total }}', note: 'order {{ input.orderId }}' }),
    task('notify'),
    { id: 'lines', kind: 'map', queue: 'jobs', type: 'line', over: 'nodes.fetch.output.lines', input: { line: '{{ item }}', at: '{{ index }}' }, concurrency: 5 },
    { id: 'total', kind: 'reduce', queue: 'jobs', type: 'sum', input: { parts: '{{ nodes.lines.output }}' } },
    { ...task('done'), join: 'any' },
    { id: 'audit', kind: 'workflow', workflow: 'audit-trail', input: { order: '{{ input.orderId }}' } },
  ],
  edges: [
    { from: 'fetch', to: 'route' },
    { from: 'route', to: 'charge', when: 'nodes.fetch.output.paid == true' },
    { from: 'route', to: 'notify', when: '!nodes.fetch.output.paid' },
    { from: 'fetch', to: 'lines' },
    { from: 'lines', to: 'total' },
    { from: 'charge', to: 'done' },
    { from: 'notify', to: 'done' },
    { from: 'done', to: 'audit' },
  ],
};

function problems(definition: unknown, options?: Parameters<typeof validateWorkflow>[1]): WorkflowProblem[] {
  const result = validateWorkflow(definition, options);
  expect(result.valid).toBe(false);
  return result.problems;
}

const withChanges = (change: (definition: WorkflowDefinitionInput) => void): WorkflowDefinitionInput => {
  const copy = structuredClone(order);
  change(copy);
  return copy;
};

describe('validateWorkflow', () => {
  it('accepts a good definition and fills in defaults', () => {
    const result = validateWorkflow(order, { taskTypeExists: () => true, workflowExists: (name) => name === 'audit-trail' });
    expect(result.problems).toEqual([]);
    if (!result.valid) throw new Error('expected valid');
    expect(result.definition.nodes.find((node) => node.id === 'fetch')?.join).toBe('all');
    expect(result.definition.nodes.find((node) => node.id === 'done')?.join).toBe('any');
    expect(result.definition.nodes.find((node) => node.id === 'notify')).toMatchObject({ input: {} });
  });

  it('names every node on a cycle', () => {
    const found = problems(withChanges((definition) => definition.edges!.push({ from: 'done', to: 'fetch' })));
    const cycle = found.find((problem) => problem.message.startsWith('cycle'));
    expect(cycle?.nodeIds.sort()).toEqual(['charge', 'done', 'fetch', 'notify', 'route'].sort());
  });

  it('refuses a dangling edge, a self edge and a doubled edge', () => {
    const found = problems(
      withChanges((definition) => {
        definition.edges!.push({ from: 'done', to: 'ghost' }, { from: 'notify', to: 'notify' }, { from: 'fetch', to: 'route' });
      }),
    );
    expect(found.map((problem) => problem.message)).toEqual(
      expect.arrayContaining(['dangling edge done → ghost: no node ghost', 'edge from notify to itself', 'edge fetch → route is drawn twice']),
    );
    expect(found.find((problem) => problem.message.startsWith('dangling'))?.nodeIds).toEqual(['done']);
  });

  it('refuses a duplicate node id', () => {
    const found = problems(withChanges((definition) => definition.nodes.push(task('notify'))));
    expect(found).toContainEqual({ nodeIds: ['notify'], path: 'nodes[8].id', message: 'node id notify is used by more than one node' });
  });

  it('refuses an unknown task type and an unknown sub-workflow when told which exist', () => {
    const found = problems(order, { taskTypeExists: (_queue, type) => type !== 'sum', workflowExists: () => false });
    expect(found).toContainEqual({ nodeIds: ['total'], path: 'nodes[5].type', message: 'unknown task type sum on queue jobs' });
    expect(found).toContainEqual({ nodeIds: ['audit'], path: 'nodes[7].workflow', message: 'unknown workflow audit-trail' });
  });

  it('refuses bad expressions in conditions, map lists and templates, naming the node and the place', () => {
    const found = problems(
      withChanges((definition) => {
        definition.edges![1]!.when = 'nodes.fetch.output.paid ==';
        (definition.nodes[4] as { over: string }).over = 'secret.list';
        (definition.nodes[2] as { input: unknown }).input = { amount: '{{ input.__proto__ }}' };
      }),
    );
    expect(found.find((problem) => problem.path === 'edges[1].when')?.message).toContain('unexpected end of expression');
    expect(found.find((problem) => problem.path === 'nodes[4].over')).toMatchObject({ nodeIds: ['lines'], message: expect.stringContaining('unknown name secret') });
    expect(found.find((problem) => problem.path === 'nodes[2].input.amount')).toMatchObject({ nodeIds: ['charge'], message: expect.stringContaining('property __proto__ is not allowed') });
  });

  it('refuses reading a node that is not upstream, or does not exist', () => {
    const found = problems(
      withChanges((definition) => {
        (definition.nodes[3] as { input: unknown }).input = { charged: '{{ nodes.charge.output }}', ghost: '{{ nodes.ghost.output }}' };
      }),
    );
    expect(found).toContainEqual({ nodeIds: ['notify', 'charge'], path: 'nodes[3].input.charged', message: 'reads nodes.charge, which is not upstream of notify' });
    expect(found).toContainEqual({ nodeIds: ['notify'], path: 'nodes[3].input.ghost', message: 'reads nodes.ghost, but there is no node ghost' });
  });

  it('allows item and index only in a map node', () => {
    const found = problems(withChanges((definition) => ((definition.nodes[0] as { input: unknown }).input = { x: '{{ item }}' })));
    expect(found[0]?.message).toContain('unknown name item');
  });

  it('refuses a reduce without a map parent and a workflow that runs itself', () => {
    const found = problems(
      withChanges((definition) => {
        definition.edges = definition.edges!.filter((edge) => edge.to !== 'total');
        definition.edges.push({ from: 'fetch', to: 'total' });
        (definition.nodes[7] as { workflow: string }).workflow = 'order';
      }),
    );
    expect(found).toContainEqual({ nodeIds: ['total'], path: 'nodes[5]', message: 'reduce node total needs a map node as a direct parent' });
    expect(found).toContainEqual({ nodeIds: ['audit'], path: 'nodes[7].workflow', message: 'node audit runs workflow order inside itself' });
  });

  it('names nodes no entry reaches', () => {
    const found = problems({
      name: 'loop',
      nodes: [task('start'), task('a'), task('b')],
      edges: [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'a' },
      ],
    });
    expect(found.find((problem) => problem.message.startsWith('unreachable'))?.nodeIds).toEqual(['a', 'b']);
  });

  it('answers schema errors with the path and the node id', () => {
    const found = problems({ name: 'bad name!', nodes: [{ id: 'ok', kind: 'task', queue: 'jobs', type: '' }, { id: '1x', kind: 'task', queue: 'jobs', type: 't' }] });
    expect(found.map((problem) => problem.path)).toEqual(['name', 'nodes[0].type', 'nodes[1].id']);
    expect(found[1]?.nodeIds).toEqual(['ok']);
    expect(problems({ name: 'empty', nodes: [] })[0]?.message).toBe('nodes: a workflow needs at least one node');
  });

  it('checks a 2,000-node fan-out', () => {
    const nodes = [task('root'), ...Array.from({ length: 1_998 }, (_, at) => task(`n${at}`, { from: '{{ nodes.root.output }}' })), task('join')];
    const edges = nodes.slice(1, -1).flatMap((node) => [
      { from: 'root', to: node.id },
      { from: node.id, to: 'join' },
    ]);
    expect(validateWorkflow({ name: 'wide', nodes, edges }).problems).toEqual([]);
  });
});
