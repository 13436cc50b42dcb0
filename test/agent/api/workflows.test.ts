import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorker } from '../../../agent/worker/index.js';
import type { WorkflowDefinitionInput } from '../../../shared/workflows/workflowDefinition.js';
import { startApiTestAgent, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { refused } from '../../helpers/apiErrors.js';
import { redisUrl } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';

const pipeline = (change: (definition: WorkflowDefinitionInput) => void = () => undefined): WorkflowDefinitionInput => {
  const definition: WorkflowDefinitionInput = {
    name: 'pipeline',
    description: 'fetch then store',
    nodes: [
      { id: 'fetch', kind: 'task', queue: 'steps', type: 'fetch', input: { url: '{{ input.url }}' }, position: { x: 0, y: 0 } },
      { id: 'store', kind: 'task', queue: 'steps', type: 'store', input: { body: '{{ nodes.fetch.output.body }}' } },
    ],
    edges: [{ from: 'fetch', to: 'store' }],
  };
  change(definition);
  return definition;
};

describe('workflow definition routes', () => {
  let api: ApiTestAgent;

  beforeAll(async () => {
    api = await startApiTestAgent();
    await api.client('operator').call('queues.create', { body: { name: 'steps' } });
  });
  afterAll(async () => api?.close());

  it('saves immutable versions, lists them newest first and answers any one', async () => {
    const operator = api.client('operator');
    const first = await operator.call('workflows.save', { body: { definition: pipeline(), message: 'first draft' } });
    expect(first).toMatchObject({ name: 'pipeline', version: 1, latestVersion: 1, message: 'first draft', createdBy: 'operator-user' });
    expect(first.definition.nodes[0]).toMatchObject({ join: 'all' });

    const second = await operator.call('workflows.save', {
      body: {
        definition: pipeline((definition) => {
          definition.nodes.push({ id: 'notify', kind: 'task', queue: 'steps', type: 'notify' });
          definition.edges!.push({ from: 'store', to: 'notify', when: 'nodes.store.output.changed' });
          (definition.nodes[1] as { retry?: unknown }).retry = { maxAttempts: 5 };
          definition.nodes[0]!.position = { x: 100, y: 40 };
        }),
        message: 'notify on change',
      },
    });
    expect(second.version).toBe(2);

    const viewer = api.client('viewer');
    expect((await viewer.call('workflows.get', { params: { name: 'pipeline' }, query: {} })).version).toBe(2);
    const old = await viewer.call('workflows.get', { params: { name: 'pipeline' }, query: { version: 1 } });
    expect(old).toMatchObject({ version: 1, latestVersion: 2, message: 'first draft' });
    expect(old.definition.nodes).toHaveLength(2);
    expect((await viewer.call('workflows.versions', { params: { name: 'pipeline' } })).versions.map((version) => version.version)).toEqual([2, 1]);
    expect((await viewer.call('workflows.list', {})).workflows).toEqual([expect.objectContaining({ name: 'pipeline', latestVersion: 2, nodeCount: 3, description: 'fetch then store' })]);

    const diff = await viewer.call('workflows.diff', { params: { name: 'pipeline' }, query: { from: 1, to: 2 } });
    expect(diff).toEqual({
      from: 1,
      to: 2,
      nodes: { added: ['notify'], removed: [], changed: [{ id: 'store', fields: ['retry'] }] },
      edges: { added: [{ from: 'store', to: 'notify' }], removed: [], changed: [] },
      description: false,
    });
  });

  it('gives concurrent saves distinct versions', async () => {
    const operator = api.client('operator');
    const saves = await Promise.all(
      Array.from({ length: 8 }, (_, at) => operator.call('workflows.save', { body: { definition: pipeline((definition) => (definition.name = 'raced')), message: `save ${at}` } })),
    );
    expect(saves.map((save) => save.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('refuses an invalid definition with every problem, naming the nodes, and saves nothing', async () => {
    const error = await refused(
      api.client('operator').call('workflows.save', {
        body: {
          definition: pipeline((definition) => {
            definition.name = 'broken';
            definition.edges!.push({ from: 'store', to: 'fetch' }, { from: 'store', to: 'ghost' });
            definition.nodes.push({ id: 'mail', kind: 'task', queue: 'nowhere', type: 'send' });
          }),
        },
      }),
      400,
    );
    const messages = error.issues.map((issue) => `${issue.field}: ${issue.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'body.definition.edges[2]: dangling edge store → ghost: no node ghost',
        'body.definition.edges: cycle: fetch → store → fetch',
        'body.definition.nodes[2].queue: unknown queue nowhere',
      ]),
    );
    expect(error.message).toMatch(/and \d+ more problems/);
    await refused(api.client('viewer').call('workflows.get', { params: { name: 'broken' }, query: {} }), 404, 'params.name');
  });

  it('checks task types against what the workers of a queue announce, and leaves a queue without workers unchecked', async () => {
    const operator = api.client('operator');
    await operator.call('queues.create', { body: { name: 'typed' } });
    const typed = (definition: WorkflowDefinitionInput) => {
      definition.name = 'typed-steps';
      for (const node of definition.nodes) if (node.kind === 'task') node.queue = 'typed';
    };
    // No worker claims from `typed` yet: the types are not checked.
    expect((await operator.call('workflows.save', { body: { definition: pipeline(typed) } })).version).toBe(1);

    const worker = createWorker({ redisUrl, prefix: api.redisPrefix, queues: ['typed'], handlers: { fetch: async () => ({ body: 'ok' }) }, log: pino({ level: 'silent' }) });
    await worker.start();
    try {
      await until(async () => (await operator.call('workers.list', {})).workers.some((each) => each.id === worker.id && each.types.includes('fetch')), {
        message: 'the SDK worker to announce its task types',
      });
      const error = await refused(operator.call('workflows.save', { body: { definition: pipeline(typed) } }), 400, 'body.definition.nodes[1].type');
      expect(error.issues.map((issue) => issue.message)).toEqual(['unknown task type store on queue typed']);
    } finally {
      await worker.close();
    }
  });

  it('checks sub-workflows against saved ones', async () => {
    const operator = api.client('operator');
    const parent = (version?: number): WorkflowDefinitionInput => ({ name: 'parent', nodes: [{ id: 'child', kind: 'workflow', workflow: 'pipeline', version }] });
    await refused(operator.call('workflows.save', { body: { definition: parent(99) } }), 400, 'body.definition.nodes[0].workflow');
    expect((await operator.call('workflows.save', { body: { definition: parent(2) } })).version).toBe(1);
  });

  it('answers 404 naming what is missing, lets a viewer read but not write, and deletes every version', async () => {
    const viewer = api.client('viewer');
    await refused(viewer.call('workflows.get', { params: { name: 'pipeline' }, query: { version: 9 } }), 404, 'query.version');
    await refused(viewer.call('workflows.diff', { params: { name: 'pipeline' }, query: { from: 1, to: 7 } }), 404, 'query.to');
    await refused(viewer.call('workflows.save', { body: { definition: pipeline() } }), 403);
    await refused(viewer.call('workflows.delete', { params: { name: 'pipeline' } }), 403);

    await api.client('admin').call('workflows.delete', { params: { name: 'pipeline' } });
    await refused(viewer.call('workflows.versions', { params: { name: 'pipeline' } }), 404, 'params.name');
    const { rows } = await api.pool.query<{ count: string }>("select count(*) from workflow_versions where workflow = 'pipeline'");
    expect(rows[0]!.count).toBe('0');
    const audit = await api.client('admin').call('audit.list', { query: { action: 'workflows.save' } });
    expect(audit.entries.some((entry) => entry.target === 'workflow:pipeline')).toBe(true);
  });
});
