import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../../shared/api/schemas/metrics.js';
import { startApiTestAgent, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { refused } from '../../helpers/apiErrors.js';
import { until } from '../../helpers/until.js';

/** The nearest-rank quantile: the ⌈q·n⌉-th smallest. */
function nearestRank(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

describe('metrics routes', () => {
  let api: ApiTestAgent;
  beforeAll(async () => {
    // No worker: the test drives tasks through the engine itself, so it knows when each moves.
    api = await startApiTestAgent();
  });
  afterAll(async () => api?.close());

  /** The queue's second points, polled until `found` picks something out of them. */
  async function pointsUntil<T>(queue: string, found: (points: MetricPoint[]) => T, message: string): Promise<NonNullable<T>> {
    return until(async () => found((await api.client('viewer').call('metrics.queue', { params: { name: queue }, query: { resolution: 'second' } })).points), { message });
  }

  /** Creates a queue and enqueues `count` tasks. */
  async function queueWith(name: string, count: number): Promise<void> {
    await api.client('operator').call('queues.create', { body: { name } });
    if (count > 0) await api.client('operator').call('tasks.enqueueBulk', { params: { name }, body: { tasks: Array.from({ length: count }, () => ({ type: 'report.render' })) } });
  }

  /** Claims `count` tasks one claim at a time (so their waits differ) and acknowledges them all at once, as succeeded. */
  async function runTasks(queue: string, count: number): Promise<void> {
    const engine = api.agent.engine;
    const claimed = [];
    for (let n = 0; n < count; n += 1) claimed.push(...(await engine.claim(queue, { workerId: 'test', max: 1, leaseMs: 60_000 })).tasks);
    expect(claimed).toHaveLength(count);
    const acknowledged = await engine.acknowledge(queue, claimed.map((task) => ({ id: task.id, token: task.token, status: 'succeeded' as const })));
    expect(acknowledged.every((ack) => ack.status === 'succeeded')).toBe(true);
  }

  describe('GET /queues/:name/metrics', () => {
    it('has a point each second with the depth and active sampled and the tasks that succeeded in it', async () => {
      await queueWith('charted', 6);
      const before = await pointsUntil('charted', (points) => points.find((point) => point.depth === 6 && point.active === 0), 'a point with all six tasks waiting');
      expect(before.at % 1_000).toBe(0);

      const engine = api.agent.engine;
      const { tasks } = await engine.claim('charted', { workerId: 'test', max: 4, leaseMs: 60_000 });
      await engine.acknowledge('charted', tasks.slice(0, 3).map((task) => ({ id: task.id, token: task.token, status: 'succeeded' as const })));
      const points = await pointsUntil(
        'charted',
        (all) => (all.some((point) => point.at > before.at && point.depth === 2 && point.active === 1) ? all : undefined),
        'a point after three tasks succeeded and one runs',
      );
      const after = points.filter((point) => point.at > before.at);
      expect(after.reduce((sum, point) => sum + point.succeeded, 0)).toBe(3);
      expect(after.reduce((sum, point) => sum + point.enqueued, 0)).toBe(0);
      expect(points.reduce((sum, point) => sum + point.dead + point.failed + point.cancelled, 0)).toBe(0);
      // Oldest first, one a second.
      const times = points.map((point) => point.at);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(new Set(times).size).toBe(times.length);
      for (const at of times) expect(at % 1_000).toBe(0);
    });

    it('has the queue-wait and run-time percentiles of the engine’s own timings of the finished tasks', async () => {
      await queueWith('timed', 8);
      await pointsUntil('timed', (points) => points.find((point) => point.depth === 8), 'the first point of the queue');
      await runTasks('timed', 8);
      // The eight finished in one acknowledgement, so the archiver hands them over in one batch: one point.
      const points = await pointsUntil('timed', (all) => (all.some((candidate) => candidate.measured > 0) ? all : undefined), 'a point with timings');
      const point = points.find((candidate) => candidate.measured > 0)!;
      expect(point.measured).toBe(8);
      expect(points.reduce((sum, candidate) => sum + candidate.succeeded, 0)).toBe(8);

      const { rows } = await api.pool.query<{ created: string; started: string; finished: string }>(
        `select (extract(epoch from created_at) * 1000)::bigint as created, (extract(epoch from started_at) * 1000)::bigint as started,
                (extract(epoch from finished_at) * 1000)::bigint as finished
         from task_history where queue = 'timed'`,
      );
      expect(rows).toHaveLength(8);
      const waits = rows.map((row) => Number(row.started) - Number(row.created));
      const runs = rows.map((row) => Number(row.finished) - Number(row.started));
      const close = (actual: number | null, expected: number) => expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(expected * 0.01);
      close(point.waitP50, nearestRank(waits, 0.5));
      close(point.waitP95, nearestRank(waits, 0.95));
      close(point.waitP99, nearestRank(waits, 0.99));
      close(point.runP50, nearestRank(runs, 0.5));
      close(point.runP95, nearestRank(runs, 0.95));
      close(point.runP99, nearestRank(runs, 0.99));
    });

    it('answers the points of a time range, and minute points at resolution=minute', async () => {
      await queueWith('ranged', 1);
      const [first] = await pointsUntil('ranged', (points) => (points.length > 0 ? points : undefined), 'a point');
      const viewer = api.client('viewer');
      const exact = await viewer.call('metrics.queue', { params: { name: 'ranged' }, query: { since: first!.at, until: first!.at } });
      expect(exact).toEqual({ queue: 'ranged', resolution: 'second', points: [first] });
      const minutes = await viewer.call('metrics.queue', { params: { name: 'ranged' }, query: { resolution: 'minute' } });
      expect(minutes).toMatchObject({ queue: 'ranged', resolution: 'minute' });
      for (const point of minutes.points) expect(point.at % 60_000).toBe(0);
      expect((await viewer.call('metrics.queue', { params: { name: 'ranged' }, query: { until: first!.at - 1 } })).points).toEqual([]);
    });

    it('refuses a bad query naming the field, an unknown queue with 404, and anyone not signed in', async () => {
      const viewer = api.client('viewer');
      await refused(viewer.call('metrics.queue', { params: { name: 'charted' }, query: { resolution: 'hour' as never } }), 400, 'query.resolution');
      await refused(viewer.call('metrics.queue', { params: { name: 'charted' }, query: { since: 'yesterday' as never } }), 400, 'query.since');
      await refused(viewer.call('metrics.queue', { params: { name: 'charted' }, query: { since: 2_000, until: 1_000 } }), 400, 'query.since');
      await refused(viewer.call('metrics.queue', { params: { name: 'charted' }, query: { colour: 'red' } as never }), 400);
      await refused(viewer.call('metrics.queue', { params: { name: 'missing' }, query: {} }), 404, 'params.name');
      await refused(api.client().call('metrics.queue', { params: { name: 'charted' }, query: {} }), 401);
      await refused(api.client().call('metrics.overview', {}), 401);
    });
  });

  describe('GET /metrics/overview', () => {
    it('lists every queue with its latest point, or null before one is recorded', async () => {
      await queueWith('glance', 2);
      await pointsUntil('glance', (points) => points.find((point) => point.depth === 2), 'a point of the new queue');
      await api.agent.engine.defineQueue({ ...(await api.agent.engine.getQueue('glance'))!, name: 'unrecorded' });
      const { queues } = await api.client('viewer').call('metrics.overview', {});
      expect(queues.find((queue) => queue.name === 'glance')?.latest).toMatchObject({ depth: 2 });
      // Defined behind the recorder's back a moment ago: at most a baseline, no point yet (or one with nothing in it).
      const unrecorded = queues.find((queue) => queue.name === 'unrecorded');
      expect(unrecorded).toBeDefined();
      if (unrecorded!.latest) expect(unrecorded!.latest).toMatchObject({ depth: 0, enqueued: 0 });
    });
  });

  describe('GET /metrics (Prometheus)', () => {
    it('needs a credential with the read permission', async () => {
      const anonymous = await fetch(`${api.url}/metrics`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
      await anonymous.arrayBuffer();
      const { key: writeOnly } = await api.client('admin').call('keys.create', { body: { name: 'producer', scopes: ['tasks:write'] } });
      const forbidden = await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${writeOnly}` } });
      expect(forbidden.status).toBe(403);
      await forbidden.arrayBuffer();
      const garbage = await fetch(`${api.url}/metrics`, { headers: { authorization: 'Bearer not.a.token' } });
      expect(garbage.status).toBe(401);
      await garbage.arrayBuffer();
    });

    it('answers the text format: queue gauges and counters, wait and run histograms labelled by queue, process metrics', async () => {
      await queueWith('scraped', 5);
      await runTasks('scraped', 3);
      const { key } = await api.client('admin').call('keys.create', { body: { name: 'prometheus', scopes: ['read'] } });
      const scrape = async () => {
        const response = await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${key}` } });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
        return response.text();
      };
      // The histograms fill when the leader archives the tasks.
      const text = await until(async () => {
        const body = await scrape();
        return /^switchyard_run_seconds_count\{queue="scraped"\} 3$/m.test(body) ? body : undefined;
      }, { message: 'the archived tasks in the histograms' });
      expect(text).toMatch(/^# TYPE switchyard_queue_wait_seconds histogram$/m);
      expect(text).toMatch(/^switchyard_queue_wait_seconds_count\{queue="scraped"\} 3$/m);
      expect(text).toMatch(/^switchyard_queue_wait_seconds_bucket\{le="\+Inf",queue="scraped"\} 3$/m);
      expect(text).toMatch(/^switchyard_run_seconds_bucket\{le="0\.005",queue="scraped"\} \d+$/m);
      expect(text).toMatch(/^switchyard_queue_tasks\{queue="scraped",state="queued"\} 2$/m);
      expect(text).toMatch(/^switchyard_queue_tasks\{queue="scraped",state="active"\} 0$/m);
      expect(text).toMatch(/^# TYPE switchyard_tasks_finished_total counter$/m);
      expect(text).toMatch(/^switchyard_tasks_finished_total\{queue="scraped",state="succeeded"\} 3$/m);
      expect(text).toMatch(/^switchyard_tasks_finished_total\{queue="scraped",state="dead"\} 0$/m);
      expect(text).toMatch(/^switchyard_tasks_enqueued_total\{queue="scraped"\} 5$/m);
      expect(text).toMatch(/^switchyard_leader 1$/m);
      expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
      expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);

      // A signed-in viewer may scrape too; a deleted queue's series go.
      const viewer = await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${api.sessions.viewer.accessToken}` } });
      expect(viewer.status).toBe(200);
      await viewer.arrayBuffer();
      await api.client('operator').call('queues.delete', { params: { name: 'scraped' }, query: {} });
      expect(await scrape()).not.toMatch(/queue="scraped"/);
    });
  });
});
