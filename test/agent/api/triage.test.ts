import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outcome } from '../../../agent/engine/Engine.js';
import { startApiTestAgent, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { refused } from '../../helpers/apiErrors.js';
import { until } from '../../helpers/until.js';

describe('finding tasks and acting on many', () => {
  let api: ApiTestAgent;

  /** Enqueues tasks with one attempt each (first in line: highest priority) and fails them with `message`: they go dead, then the archiver moves them to history. */
  async function deadTasks(queue: string, count: number, message: (n: number) => string, frame: string): Promise<string[]> {
    const { tasks } = await api.client('operator').call('tasks.enqueueBulk', {
      params: { name: queue },
      body: { tasks: Array.from({ length: count }, (_, n) => ({ type: 'bill', payload: { invoice: 1000 + n }, maxAttempts: 1, priority: 9 })) },
    });
    const claimed = await api.agent.engine.claim(queue, { workerId: 'test-worker', max: count, leaseMs: 60_000 });
    const outcomes: Outcome[] = claimed.tasks.map((task, n) => ({
      id: task.id,
      token: task.token,
      status: 'failed',
      error: { message: message(n), stack: `Error: ${message(n)}\n    at ${frame} (/srv/app/billing.js:${10 + n}:5)` },
      retryDelayMs: 0,
    }));
    await api.agent.engine.acknowledge(queue, outcomes);
    const ids = tasks.map((task) => task.id);
    await until(async () => (await api.pool.query('select count(*)::int as n from task_history where id = any($1)', [ids])).rows[0].n === count, {
      message: 'the archiver to move the dead tasks to history',
    });
    return ids;
  }

  beforeAll(async () => {
    api = await startApiTestAgent();
    await api.client('operator').call('queues.create', { body: { name: 'billing' } });
  });
  afterAll(async () => api?.close());

  describe('dead letters', () => {
    let missing: string[];
    let timeouts: string[];

    beforeAll(async () => {
      missing = await deadTasks('billing', 3, (n) => `invoice ${1000 + n} missing`, 'bill');
      timeouts = await deadTasks('billing', 2, (n) => `gateway timed out after ${n + 30} s`, 'charge');
    });

    it('GET /dead-letters groups dead tasks by error signature, largest first', async () => {
      const { groups } = await api.client('viewer').call('deadLetters.groups', { query: { queue: 'billing' } });
      expect(groups.map((group) => [group.signature, group.count])).toEqual([
        ['invoice <n> missing @ bill (billing.js)', 3],
        ['gateway timed out after <n> s @ charge (billing.js)', 2],
      ]);
      expect(groups[0]).toMatchObject({ queue: 'billing', title: 'invoice <n> missing', types: ['bill'] });
    });

    it('GET /dead-letters/tasks lists one group a page at a time', async () => {
      const viewer = api.client('viewer');
      const first = await viewer.call('deadLetters.list', { query: { queue: 'billing', signature: 'invoice <n> missing @ bill (billing.js)', limit: 2 } });
      expect(first.tasks).toHaveLength(2);
      const second = await viewer.call('deadLetters.list', { query: { queue: 'billing', signature: 'invoice <n> missing @ bill (billing.js)', limit: 2, cursor: first.nextCursor! } });
      expect(second.nextCursor).toBeNull();
      expect([...first.tasks, ...second.tasks].map((task) => task.id).sort()).toEqual([...missing].sort());
      await refused(viewer.call('deadLetters.list', { query: { queue: 'billing', cursor: 'garbage' } }), 400, 'query.cursor');
    });

    it('GET /queues/:name/tasks/:id finds an archived task in history, with its attempts', async () => {
      const task = await api.client('viewer').call('tasks.get', { params: { name: 'billing', id: timeouts[0]! } });
      expect(task).toMatchObject({ id: timeouts[0], state: 'dead', payload: { invoice: 1000 }, error: { message: 'gateway timed out after 30 s' } });
      expect(task.history).toHaveLength(1);
    });

    it('POST /dead-letters/requeue requeues one task with an edited payload, as a copy that leaves the group', async () => {
      const { requeued } = await api.client('operator').call('deadLetters.requeue', { body: { queue: 'billing', taskId: timeouts[0]!, payload: { invoice: 1000, retryWith: 'backup-gateway' } } });
      expect(requeued).toHaveLength(1);
      const copy = await api.client('viewer').call('tasks.get', { params: { name: 'billing', id: requeued[0]!.to } });
      expect(copy).toMatchObject({ state: 'queued', type: 'bill', payload: { invoice: 1000, retryWith: 'backup-gateway' }, maxAttempts: 1 });
      const { groups } = await api.client('viewer').call('deadLetters.groups', { query: { queue: 'billing' } });
      expect(groups.find((group) => group.signature.startsWith('gateway'))?.count).toBe(1);
      await refused(api.client('operator').call('deadLetters.requeue', { body: { queue: 'billing', taskId: timeouts[0]! } }), 404, 'body.taskId');
    });

    it('POST /dead-letters/requeue requeues a whole group', async () => {
      const { requeued, more } = await api.client('operator').call('deadLetters.requeue', { body: { queue: 'billing', signature: 'invoice <n> missing @ bill (billing.js)' } });
      expect(more).toBe(false);
      expect(requeued.map((entry) => entry.from).sort()).toEqual([...missing].sort());
      const { groups } = await api.client('viewer').call('deadLetters.groups', { query: { queue: 'billing' } });
      expect(groups.map((group) => group.signature)).toEqual(['gateway timed out after <n> s @ charge (billing.js)']);
      const found = await api.client('viewer').call('tasks.search', { query: { id: missing[0]! } });
      expect(found.tasks[0]).toMatchObject({ source: 'history', state: 'dead', requeuedAs: requeued.find((entry) => entry.from === missing[0])!.to });
    });

    it('refuses a requeue naming neither a group nor a task, and a payload edit for a group', async () => {
      await refused(api.client('operator').call('deadLetters.requeue', { body: { queue: 'billing' } }), 400, 'body.signature');
      await refused(api.client('operator').call('deadLetters.requeue', { body: { queue: 'billing', signature: 'x', payload: 1 } }), 400, 'body.payload');
      await refused(api.client('viewer').call('deadLetters.requeue', { body: { queue: 'billing', signature: 'x' } }), 403);
    });

    it('POST /dead-letters/purge deletes a group from history', async () => {
      const { purged } = await api.client('operator').call('deadLetters.purge', { body: { queue: 'billing', signature: 'gateway timed out after <n> s @ charge (billing.js)' } });
      expect(purged).toBe(1);
      expect((await api.client('viewer').call('deadLetters.groups', { query: { queue: 'billing' } })).groups).toEqual([]);
      const { entries } = await api.client('admin').call('audit.list', { query: { action: 'deadLetters.purge' } });
      expect(entries[0]).toMatchObject({ target: 'queue:billing', after: { purged: 1 } });
    });
  });

  describe('GET /tasks', () => {
    it('searches live and archived tasks by state, type and text, page by page', async () => {
      const operator = api.client('operator');
      await operator.call('queues.create', { body: { name: 'search' } });
      await operator.call('tasks.enqueueBulk', { params: { name: 'search' }, body: { tasks: Array.from({ length: 30 }, (_, n) => ({ type: n % 3 === 0 ? 'resize' : 'crop', payload: { file: `photo-${n}.jpg` } })) } });
      const dead = await deadTasks('search', 4, () => 'disk full', 'write');
      const viewer = api.client('viewer');

      const resized = await viewer.call('tasks.search', { query: { queue: 'search', type: 'resize', state: 'queued' } });
      expect(resized.tasks).toHaveLength(10);
      expect(resized.tasks.every((task) => task.source === 'engine' && task.type === 'resize')).toBe(true);

      const byText = await viewer.call('tasks.search', { query: { queue: 'search', text: 'PHOTO-7.jpg' } });
      expect(byText.tasks.map((task) => task.payload)).toEqual([{ file: 'photo-7.jpg' }]);

      const inHistory = await viewer.call('tasks.search', { query: { queue: 'search', state: 'dead', text: 'disk' } });
      expect(inHistory.tasks.map((task) => task.id).sort()).toEqual([...dead].sort());
      expect(inHistory.tasks.every((task) => task.source === 'history')).toBe(true);

      const seen = new Set<string>();
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await viewer.call('tasks.search', { query: { queue: 'search', limit: 7, cursor } });
        for (const task of page.tasks) seen.add(task.id);
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor && pages < 50);
      expect(seen.size).toBe(34);
    });

    it('names the bad field', async () => {
      await refused(api.client('viewer').call('tasks.search', { query: { state: 'sleeping' } }), 400, 'query.state[0]');
      await refused(api.client('viewer').call('tasks.search', { query: { limit: 1000 } }), 400, 'query.limit');
      await refused(api.client('viewer').call('tasks.search', { query: { cursor: 'not-a-cursor' } }), 400, 'query.cursor');
    });
  });

  describe('POST /tasks/bulk and POST /queues/:name/tasks/:id/retry', () => {
    it('counts first, then cancels exactly what the filter matched', async () => {
      const operator = api.client('operator');
      await operator.call('queues.create', { body: { name: 'bulk' } });
      await operator.call('tasks.enqueueBulk', { params: { name: 'bulk' }, body: { tasks: Array.from({ length: 20 }, (_, n) => ({ type: n < 12 ? 'stale' : 'fresh' })) } });
      const dry = await operator.call('tasks.bulk', { body: { filter: { queue: 'bulk', types: ['stale'] }, action: 'cancel', dryRun: true } });
      expect(dry).toEqual({ dryRun: true, matched: 12, applied: 0, more: false });
      expect((await operator.call('queues.get', { params: { name: 'bulk' } })).counts.queued).toBe(20);
      const done = await operator.call('tasks.bulk', { body: { filter: { queue: 'bulk', types: ['stale'] }, action: 'cancel', dryRun: false } });
      expect(done).toEqual({ dryRun: false, matched: 12, applied: 12, more: false });
      expect((await operator.call('queues.get', { params: { name: 'bulk' } })).counts).toMatchObject({ queued: 8, cancelled: 12 });
    });

    it('retries an archived dead task as a copy, once', async () => {
      const [id] = await deadTasks('bulk', 1, () => 'flaky', 'run');
      const operator = api.client('operator');
      const first = await operator.call('tasks.retry', { params: { name: 'bulk', id: id! } });
      expect(first).toMatchObject({ applied: true, copied: true });
      expect(first.taskId).not.toBe(id);
      expect((await operator.call('tasks.get', { params: { name: 'bulk', id: first.taskId } })).state).toBe('queued');
      // The archived original: cancel and promote do not apply to it, and say so (not 404).
      expect(await operator.call('tasks.cancel', { params: { name: 'bulk', id: id! } })).toEqual({ id, applied: false });
      expect(await operator.call('tasks.promote', { params: { name: 'bulk', id: id! } })).toEqual({ id, applied: false });
      expect(await operator.call('tasks.retry', { params: { name: 'bulk', id: id! } })).toEqual({ taskId: first.taskId, applied: false, copied: true });
    });
  });

  describe('POST /queues/:name/drain', () => {
    it('cancels every waiting task and leaves the running ones', async () => {
      const operator = api.client('operator');
      await operator.call('queues.create', { body: { name: 'drain' } });
      await operator.call('tasks.enqueueBulk', { params: { name: 'drain' }, body: { tasks: Array.from({ length: 5 }, () => ({ type: 't' })) } });
      await operator.call('tasks.enqueue', { params: { name: 'drain' }, body: { type: 'later', delayMs: 60_000 } });
      await api.agent.engine.claim('drain', { workerId: 'w', max: 2, leaseMs: 60_000 });
      expect(await operator.call('queues.drain', { params: { name: 'drain' } })).toEqual({ cancelled: 4, more: false });
      expect((await operator.call('queues.get', { params: { name: 'drain' } })).counts).toMatchObject({ queued: 0, scheduled: 0, active: 2, cancelled: 4 });
    });
  });
});
