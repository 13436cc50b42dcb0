/**
 * `GET /runs`: pages newest first with the (`createdAt`, `id`) cursor, so runs created in the
 * same millisecond are each listed once, and filters by workflow and state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../shared/api/schemas/workflowRuns.js';
import { startApiTestAgent, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { refused } from '../../helpers/apiErrors.js';

describe('the list of runs', () => {
  let api: ApiTestAgent;
  const started: string[] = [];

  beforeAll(async () => {
    api = await startApiTestAgent();
    const operator = api.client('operator');
    await operator.call('queues.create', { body: { name: 'listed' } });
    for (const name of ['listed-a', 'listed-b']) {
      await operator.call('workflows.save', { body: { definition: { name, nodes: [{ id: 'only', kind: 'task', queue: 'listed', type: 'noop' }] } } });
    }
    // No worker: the runs stay running. Seven of them share one creation time.
    for (let at = 0; at < 7; at++) started.push((await operator.call('runs.start', { params: { name: at < 5 ? 'listed-a' : 'listed-b' }, body: {} })).id);
    await api.pool.query("update workflow_runs set created_at = '2026-11-29T05:00:00.123456Z' where id = any($1::uuid[])", [started]);
  }, 60_000);
  afterAll(async () => api?.close());

  const page = (query: { workflow?: string; before?: number; beforeId?: string; limit: number }) => api.client('viewer').call('runs.list', { query });

  it('pages through runs created in the same millisecond, each once, newest first then by id', async () => {
    const seen: RunSummary[] = [];
    let cursor: { before: number; beforeId: string } | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const { runs } = await page({ ...cursor, limit: 2 });
      seen.push(...runs);
      if (runs.length < 2) break;
      cursor = { before: runs.at(-1)!.createdAt, beforeId: runs.at(-1)!.id };
    }
    expect(seen.map((run) => run.id).sort()).toEqual([...started].sort());
    expect(new Set(seen.map((run) => run.createdAt))).toEqual(new Set([Date.parse('2026-11-29T05:00:00.123Z')]));
  });

  it('filters by workflow, and takes `before` alone as everything older than that millisecond', async () => {
    expect((await page({ workflow: 'listed-b', limit: 50 })).runs.map((run) => run.workflow)).toEqual(['listed-b', 'listed-b']);
    expect((await page({ before: Date.parse('2026-11-29T05:00:00.123Z'), limit: 50 })).runs).toEqual([]);
    expect((await page({ before: Date.parse('2026-11-29T05:00:00.124Z'), limit: 50 })).runs).toHaveLength(7);
  });

  it('refuses a cursor id that is not a uuid, naming the field', async () => {
    await refused(page({ before: 1, beforeId: 'last', limit: 2 }), 400, 'query.beforeId');
  });
});
