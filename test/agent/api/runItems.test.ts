/**
 * `GET /runs/:id/nodes/:node/items`: the items of a map node, paged and filtered by state, on a
 * real agent with a real SDK worker running the items (one of which fails).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorker, type Worker } from '../../../agent/worker/index.js';
import type { RunView } from '../../../shared/api/schemas/workflowRuns.js';
import { startApiTestAgent, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { refused } from '../../helpers/apiErrors.js';
import { redisUrl } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';

describe('the items of a map node', () => {
  let api: ApiTestAgent;
  let worker: Worker;
  let run: RunView;

  beforeAll(async () => {
    api = await startApiTestAgent();
    const operator = api.client('operator');
    await operator.call('queues.create', { body: { name: 'items' } });
    worker = createWorker({
      redisUrl,
      prefix: api.redisPrefix,
      queues: [{ name: 'items', concurrency: 20 }],
      log: undefined,
      handlers: {
        square: async (task) => {
          const { value } = task.payload as { value: number };
          if (value === 7) throw new Error('seven is refused on purpose');
          return value * value;
        },
      },
    });
    await worker.start();
    await operator.call('workflows.save', {
      body: {
        definition: {
          name: 'squares',
          nodes: [{ id: 'each', kind: 'map', queue: 'items', type: 'square', over: 'input.values', input: { value: '{{ item }}' }, retry: { maxAttempts: 1 }, concurrency: 10 }],
        },
      },
    });
    const started = await operator.call('runs.start', { params: { name: 'squares' }, body: { input: { values: Array.from({ length: 30 }, (_, at) => at) } } });
    run = await until(
      async () => {
        const current = await api.client('viewer').call('runs.get', { params: { id: started.id } });
        return current.state === 'failed' ? current : undefined;
      },
      { timeoutMs: 30_000, message: 'the map run to fail at item 7' },
    );
  }, 60_000);
  afterAll(async () => {
    await worker?.close({ drainMs: 1_000 });
    await api?.close();
  });

  it('answers a page of items in index order with their tasks and outputs, and the total', async () => {
    const succeeded = await api.client('viewer').call('runs.items', { params: { id: run.id, node: 'each' }, query: { state: 'succeeded', limit: 1 } });
    expect(succeeded.total).toBeGreaterThan(0);
    expect(succeeded.items[0]).toMatchObject({ state: 'succeeded', output: succeeded.items[0]!.index ** 2, task: { queue: 'items', id: expect.any(String) } });

    // Items 0–9 start together (concurrency 10); the node fails when item 7 does, so 0–6 succeeded by then or ran on.
    const page = await api.client('viewer').call('runs.items', { params: { id: run.id, node: 'each' }, query: { offset: 2, limit: 3 } });
    expect(page.total).toBe(30);
    expect(page.items.map((item) => item.index)).toEqual([2, 3, 4]);
    for (const item of page.items) if (item.state === 'succeeded') expect(item.output).toBe(item.index * item.index);
  });

  it('filters by state: the one failed item with its error', async () => {
    const failed = await api.client('viewer').call('runs.items', { params: { id: run.id, node: 'each' }, query: { state: 'failed' } });
    expect(failed.total).toBe(1);
    expect(failed.items).toEqual([expect.objectContaining({ index: 7, state: 'failed', error: expect.objectContaining({ message: 'seven is refused on purpose' }) })]);
  });

  it('answers 404 naming the run or the node that is missing, and 400 naming a bad field', async () => {
    await refused(api.client('viewer').call('runs.items', { params: { id: '00000000-0000-4000-8000-000000000000', node: 'each' }, query: {} }), 404, 'params.id');
    await refused(api.client('viewer').call('runs.items', { params: { id: run.id, node: 'ghost' }, query: {} }), 404, 'params.node');
    await refused(api.client('viewer').call('runs.items', { params: { id: run.id, node: 'each' }, query: { limit: 5_000 } }), 400, 'query.limit');
  });
});
