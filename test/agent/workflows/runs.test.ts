/**
 * Workflow runs end to end on a real agent (Redis engine, Postgres records) with a real SDK worker
 * running the node tasks: a diamond, a map/reduce over 1,000 items, an any-join, a skipped branch,
 * pause and resume, each retry mode, a sub-workflow, and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunView } from '../../../shared/api/schemas/workflowRuns.js';
import type { WorkflowDefinitionInput } from '../../../shared/workflows/workflowDefinition.js';
import { createWorker, type Worker } from '../../../agent/worker/index.js';
import { startApiTestAgent, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { refused } from '../../helpers/apiErrors.js';
import { signedInEventSocket } from '../../helpers/eventSocket.js';
import { redisUrl } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';

const step = (id: string, type: string, input: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({ id, kind: 'task' as const, queue: 'wf', type, input: input as never, retry: { maxAttempts: 1 }, ...extra });

describe('workflow runs', () => {
  let api: ApiTestAgent;
  let worker: Worker;
  /** How many times each `count` task ran, by its payload's `key`. */
  const runsOf = new Map<string, number>();
  /** Keys whose `flaky` task fails until the test clears them. */
  const failing = new Set<string>();
  /** Where the third attempt of a `thirdTime` task waits. */
  const thirdAttempt = (() => {
    let open = () => {};
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { opened, open };
  })();

  beforeAll(async () => {
    api = await startApiTestAgent();
    await api.client('operator').call('queues.create', { body: { name: 'wf' } });
    worker = createWorker({
      redisUrl,
      prefix: api.redisPrefix,
      queues: [{ name: 'wf', concurrency: 50 }],
      log: undefined,
      handlers: {
        add: async (task) => {
          const { values } = task.payload as { values: number[] };
          return values.reduce((sum, value) => sum + value, 0);
        },
        double: async (task) => (task.payload as { value: number }).value * 2,
        echo: async (task) => task.payload,
        count: async (task) => {
          const key = (task.payload as { key: string }).key;
          runsOf.set(key, (runsOf.get(key) ?? 0) + 1);
          return { key };
        },
        /** Fails its first two attempts; the third waits for `thirdAttempt` to open. */
        thirdTime: async (task) => {
          if (task.attempt < 3) throw new Error(`attempt ${task.attempt} fails on purpose`);
          await thirdAttempt.opened;
          return { attempt: task.attempt };
        },
        flaky: async (task) => {
          const key = (task.payload as { key: string }).key;
          if (failing.has(key)) throw new Error(`${key} is failing on purpose`);
          return { key };
        },
      },
    });
    await worker.start();
  }, 60_000);
  afterAll(async () => {
    await worker?.close({ drainMs: 1_000 });
    await api?.close();
  });

  const save = (definition: WorkflowDefinitionInput) => api.client('operator').call('workflows.save', { body: { definition } });
  const start = (name: string, input: unknown = {}) => api.client('operator').call('runs.start', { params: { name }, body: { input } });
  const get = (id: string) => api.client('viewer').call('runs.get', { params: { id } });
  const settled = async (id: string, states: RunView['state'][] = ['succeeded', 'failed', 'cancelled']) =>
    until(
      async () => {
        const run = await get(id);
        return states.includes(run.state) ? run : undefined;
      },
      { timeoutMs: 30_000, message: `run ${id} to reach ${states.join(' or ')}` },
    );
  const node = (run: RunView, id: string) => run.nodes.find((each) => each.id === id)!;

  it('runs a diamond, passing outputs downstream', async () => {
    await save({
      name: 'diamond',
      nodes: [
        step('a', 'echo', { value: '{{ input.value }}' }),
        step('b', 'double', { value: '{{ nodes.a.output.value }}' }),
        step('c', 'double', { value: '{{ nodes.a.output.value + 1 }}' }),
        step('d', 'add', { values: ['{{ nodes.b.output }}', '{{ nodes.c.output }}'] }),
      ],
      edges: [
        { from: 'a', to: 'b' },
        { from: 'a', to: 'c' },
        { from: 'b', to: 'd' },
        { from: 'c', to: 'd' },
      ],
    });
    const started = await start('diamond', { value: 5 });
    expect(started.state).toBe('running');
    expect(node(started, 'a').state).toBe('running');
    const run = await settled(started.id);
    expect(run).toMatchObject({ state: 'succeeded', output: { d: 22 }, failure: null });
    expect(run.nodes.map((each) => [each.id, each.state, each.starts])).toEqual([
      ['a', 'succeeded', 1],
      ['b', 'succeeded', 1],
      ['c', 'succeeded', 1],
      ['d', 'succeeded', 1],
    ]);
    expect(node(run, 'd').input).toEqual({ values: [10, 12] });
    expect(run.edges).toHaveLength(4);
  });

  it("records how many attempts each node's task has taken, while it is retried and once it finishes", async () => {
    const quickRetry = { retry: { maxAttempts: 3, backoff: { kind: 'fixed' as const, delayMs: 0, jitter: 0 } } };
    await save({
      name: 'persistent',
      nodes: [step('first', 'thirdTime', {}, quickRetry), step('then', 'echo', { after: '{{ nodes.first.output.attempt }}' })],
      edges: [{ from: 'first', to: 'then' }],
    });
    const started = await start('persistent');
    // The first attempt may already have failed, and its retry been recorded, by the time the start answers.
    expect(node(started, 'first').state).toBe('running');
    expect([null, 1]).toContain(node(started, 'first').attempts);
    // Each failed attempt was announced as retrying: the running node shows its attempts so far.
    await until(async () => node(await get(started.id), 'first').attempts === 2, { timeoutMs: 30_000, message: 'the running node to show two attempts' });
    expect(node(await get(started.id), 'first').state).toBe('running');
    thirdAttempt.open();
    const run = await settled(started.id);
    expect(run.state).toBe('succeeded');
    expect(run.nodes.map((each) => [each.id, each.attempts])).toEqual([
      ['first', 3],
      ['then', 1],
    ]);
    expect(node(run, 'then').output).toEqual({ after: 3 });
  });

  it('fans out over 1,000 items and reduces them', async () => {
    await save({
      name: 'sum-of-doubles',
      nodes: [
        { id: 'each', kind: 'map', queue: 'wf', type: 'double', over: 'input.values', input: { value: '{{ item }}' }, concurrency: 100 },
        { id: 'total', kind: 'reduce', queue: 'wf', type: 'add', input: { values: '{{ nodes.each.output }}' } },
      ],
      edges: [{ from: 'each', to: 'total' }],
    });
    const values = Array.from({ length: 1_000 }, (_, at) => at);
    const run = await settled((await start('sum-of-doubles', { values })).id);
    expect(run.state).toBe('succeeded');
    expect(run.output).toEqual({ total: 999 * 1_000 });
    expect(node(run, 'each').items).toEqual({ total: 1_000, finished: 1_000 });
  }, 60_000);

  it('skips a branch whose condition is false and starts an any-join from the other', async () => {
    await save({
      name: 'route',
      nodes: [
        step('check', 'echo', { paid: '{{ input.paid }}' }),
        step('charge', 'count', { key: 'charge' }),
        step('remind', 'count', { key: 'remind' }),
        step('done', 'echo', { via: 'done' }, { join: 'any' }),
      ],
      edges: [
        { from: 'check', to: 'charge', when: 'nodes.check.output.paid' },
        { from: 'check', to: 'remind', when: '!nodes.check.output.paid' },
        { from: 'charge', to: 'done' },
        { from: 'remind', to: 'done' },
      ],
    });
    const run = await settled((await start('route', { paid: false })).id);
    expect(run.state).toBe('succeeded');
    expect(run.nodes.map((each) => [each.id, each.state])).toEqual([
      ['charge', 'skipped'],
      ['check', 'succeeded'],
      ['done', 'succeeded'],
      ['remind', 'succeeded'],
    ]);
    expect(runsOf.get('charge')).toBeUndefined();
    expect(run.edges).toContainEqual({ from: 'check', to: 'charge', taken: false });
  });

  it('pauses (no new node starts) and resumes', async () => {
    await save({ name: 'two-steps', nodes: [step('first', 'count', { key: 'first' }), step('second', 'count', { key: 'second' })], edges: [{ from: 'first', to: 'second' }] });
    await api.client('operator').call('queues.pause', { params: { name: 'wf' } });
    const started = await start('two-steps');
    const paused = await api.client('operator').call('runs.pause', { params: { id: started.id } });
    expect(paused.state).toBe('paused');
    await api.client('operator').call('queues.resume', { params: { name: 'wf' } });
    await until(async () => node(await get(started.id), 'first').state === 'succeeded', { message: 'the first node to finish while paused' });
    const stillPaused = await get(started.id);
    expect(node(stillPaused, 'second').state).toBe('waiting');
    expect(stillPaused.state).toBe('paused');
    await refused(api.client('operator').call('runs.pause', { params: { id: started.id } }), 409);
    await api.client('operator').call('runs.resume', { params: { id: started.id } });
    expect((await settled(started.id)).state).toBe('succeeded');
  });

  it('fails at a failing node and retries from it in each mode', async () => {
    await save({
      name: 'retryable',
      nodes: [step('a', 'count', { key: 'ra' }), step('b', 'flaky', { key: 'rb' }), step('c', 'count', { key: 'rc' })],
      edges: [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
      ],
    });
    failing.add('rb');
    const failed = await settled((await start('retryable')).id);
    expect(failed).toMatchObject({ state: 'failed', failure: { nodeIds: ['b'], message: 'node b failed: rb is failing on purpose' } });
    expect(node(failed, 'b').error).toMatchObject({ message: 'rb is failing on purpose' });
    expect(node(failed, 'c').state).toBe('waiting');

    failing.delete('rb');
    await api.client('operator').call('runs.retry', { params: { id: failed.id }, body: { node: 'a', mode: 'failed' } });
    const recovered = await settled(failed.id);
    expect(recovered.state).toBe('succeeded');
    expect(recovered.nodes.map((each) => [each.id, each.starts])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 1],
    ]);

    await api.client('operator').call('runs.retry', { params: { id: failed.id }, body: { node: 'b', mode: 'node' } });
    const nodeOnly = await settled(failed.id);
    expect(nodeOnly.nodes.map((each) => [each.id, each.starts])).toEqual([
      ['a', 1],
      ['b', 3],
      ['c', 1],
    ]);

    const ranC = runsOf.get('rc');
    await api.client('operator').call('runs.retry', { params: { id: failed.id }, body: { node: 'b', mode: 'downstream' } });
    const downstream = await settled(failed.id);
    expect(downstream.nodes.map((each) => [each.id, each.state, each.starts])).toEqual([
      ['a', 'succeeded', 1],
      ['b', 'succeeded', 4],
      ['c', 'succeeded', 2],
    ]);
    expect(runsOf.get('rc')).toBe(ranC! + 1);
    expect(runsOf.get('ra')).toBe(1);
  });

  it('runs a sub-workflow and takes its output', async () => {
    await save({ name: 'parent', nodes: [{ id: 'child', kind: 'workflow', workflow: 'diamond', input: { value: '{{ input.value }}' } }, step('after', 'echo', { got: '{{ nodes.child.output.d }}' })], edges: [{ from: 'child', to: 'after' }] });
    const run = await settled((await start('parent', { value: 1 })).id);
    expect(run.state).toBe('succeeded');
    expect(run.output).toEqual({ after: { got: 6 } });
    const child = await get(node(run, 'child').subRun!);
    expect(child).toMatchObject({ workflow: 'diamond', state: 'succeeded', createdBy: `run:${run.id}` });
  });

  it('cancels a run and its running tasks', async () => {
    await api.client('operator').call('queues.pause', { params: { name: 'wf' } });
    try {
      const started = await start('two-steps');
      await refused(api.client('operator').call('workflows.delete', { params: { name: 'two-steps' } }), 409, 'params.name');
      const cancelled = await api.client('operator').call('runs.cancel', { params: { id: started.id } });
      expect(cancelled.state).toBe('cancelled');
      expect(cancelled.nodes.map((each) => each.state)).toEqual(['cancelled', 'cancelled']);
      const task = node(started, 'first').task!;
      expect((await api.client('viewer').call('tasks.get', { params: { name: task.queue, id: task.id } })).state).toBe('cancelled');
      await refused(api.client('operator').call('runs.retry', { params: { id: started.id }, body: { node: 'nope', mode: 'node' } }), 404, 'body.node');
    } finally {
      await api.client('operator').call('queues.resume', { params: { name: 'wf' } });
    }
  });

  it('sends run events over the WebSocket as nodes move, until the run succeeds', async () => {
    const events = await signedInEventSocket(api.url, api.sessions.viewer.accessToken);
    try {
      await api.client('operator').call('queues.pause', { params: { name: 'wf' } });
      const started = await start('diamond', { value: 2 });
      events.send({ type: 'subscribe', id: 'run', topic: { kind: 'run', runId: started.id } });
      await events.next((message) => message.type === 'subscribed' && message.id === 'run');
      await api.client('operator').call('queues.resume', { params: { name: 'wf' } });
      await until(() => events.eventsOf('run').some((event) => event.kind === 'run' && event.data.run.state === 'succeeded'), { timeoutMs: 20_000, message: 'a run event saying succeeded' });
      const seen = events.eventsOf('run').map((event) => (event.kind === 'run' ? event.data.run : undefined)!);
      expect(seen[0]!.nodes.map((node) => [node.id, node.state])).toEqual([
        ['a', 'running'],
        ['b', 'waiting'],
        ['c', 'waiting'],
        ['d', 'waiting'],
      ]);
      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(seen.at(-1)!.nodes.every((node) => node.state === 'succeeded')).toBe(true);
      events.send({ type: 'subscribe', id: 'ghost', topic: { kind: 'run', runId: '0193a4b2-0000-7000-8000-00000000abcd' } });
      const refusedMessage = await events.next((message) => message.type === 'refused' && message.id === 'ghost');
      expect(JSON.stringify(refusedMessage)).toContain('no run 0193a4b2-0000-7000-8000-00000000abcd');
    } finally {
      await events.close();
    }
  });

  it('refuses unknown workflows and runs with 404 naming them', async () => {
    await refused(start('no-such-flow'), 404);
    await refused(get('0193a4b2-0000-7000-8000-00000000abcd'), 404, 'params.id');
    expect((await api.client('viewer').call('runs.list', { query: { workflow: 'diamond' } })).runs.length).toBeGreaterThanOrEqual(2);
  });
});
