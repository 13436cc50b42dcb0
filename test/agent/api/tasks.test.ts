import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorker } from '../../../agent/worker/index.js';
import { redisUrl } from '../../helpers/redis.js';
import { until } from '../../helpers/until.js';
import { startApiTestAgent, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { refused } from '../../helpers/apiErrors.js';

describe('task routes', () => {
  let api: ApiTestAgent;
  beforeAll(async () => {
    api = await startApiTestAgent();
    await api.client('operator').call('queues.create', { body: { name: 'jobs', maxPayloadBytes: 2048 } });
  });
  afterAll(async () => api?.close());

  describe('POST /queues/:name/tasks', () => {
    it('enqueues one task and GET answers it', async () => {
      const client = api.client('operator');
      const { id, deduplicated } = await client.call('tasks.enqueue', { params: { name: 'jobs' }, body: { type: 'resize', payload: { image: 7 }, priority: 9 } });
      expect(deduplicated).toBe(false);
      const task = await api.client('viewer').call('tasks.get', { params: { name: 'jobs', id } });
      expect(task).toMatchObject({ id, queue: 'jobs', type: 'resize', payload: { image: 7 }, priority: 9, state: 'queued', attempts: 0, history: [] });
    });

    it('deduplicates by idempotency key', async () => {
      const client = api.client('operator');
      const first = await client.call('tasks.enqueue', { params: { name: 'jobs' }, body: { type: 'once', idempotencyKey: 'k-1' } });
      const second = await client.call('tasks.enqueue', { params: { name: 'jobs' }, body: { type: 'once', idempotencyKey: 'k-1' } });
      expect(second).toEqual({ id: first.id, deduplicated: true });
    });

    it('names the bad field and enqueues nothing: priority, negative delay, run-at with delay, oversized payload, unknown queue', async () => {
      const client = api.client('operator');
      const before = (await client.call('queues.get', { params: { name: 'jobs' } })).counts;
      await refused(client.call('tasks.enqueue', { params: { name: 'jobs' }, body: { type: 'x', priority: 10 } }), 400, 'body.priority');
      await refused(client.call('tasks.enqueue', { params: { name: 'jobs' }, body: { type: 'x', delayMs: -1 } }), 400, 'body.delayMs');
      await refused(client.call('tasks.enqueue', { params: { name: 'jobs' }, body: { type: 'x', delayMs: 5, runAt: 5 } }), 400, 'body.runAt');
      await refused(client.call('tasks.enqueue', { params: { name: 'jobs' }, body: { type: '' } }), 400, 'body.type');
      const tooLarge = await refused(client.call('tasks.enqueue', { params: { name: 'jobs' }, body: { type: 'x', payload: 'y'.repeat(4096) } }), 413, 'body.payload');
      expect(tooLarge.message).toMatch(/2048/);
      await refused(client.call('tasks.enqueue', { params: { name: 'absent' }, body: { type: 'x' } }), 404);
      expect((await client.call('queues.get', { params: { name: 'jobs' } })).counts).toEqual(before);
    });

    it('answers 400 naming the body for malformed JSON', async () => {
      const response = await fetch(`${api.url}/api/v1/queues/jobs/tasks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${api.sessions.operator.accessToken}`, 'content-type': 'application/json' },
        body: '{"type": "x",',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_request', field: 'body' } });
    });
  });

  describe('POST /queues/:name/tasks/bulk', () => {
    it('enqueues all tasks, or none when one is bad (naming it)', async () => {
      const client = api.client('operator');
      const { tasks } = await client.call('tasks.enqueueBulk', { params: { name: 'jobs' }, body: { tasks: [{ type: 'a' }, { type: 'b', priority: 1 }] } });
      expect(tasks).toHaveLength(2);
      const before = (await client.call('queues.get', { params: { name: 'jobs' } })).counts.queued;
      await refused(client.call('tasks.enqueueBulk', { params: { name: 'jobs' }, body: { tasks: [{ type: 'a' }, { type: 'b', priority: 12 }] } }), 400, 'body.tasks[1].priority');
      await refused(client.call('tasks.enqueueBulk', { params: { name: 'jobs' }, body: { tasks: [{ type: 'a' }, { type: 'b', payload: 'z'.repeat(3000) }] } }), 413, 'body.tasks[1].payload');
      await refused(client.call('tasks.enqueueBulk', { params: { name: 'jobs' }, body: { tasks: [] } }), 400, 'body.tasks');
      expect((await client.call('queues.get', { params: { name: 'jobs' } })).counts.queued).toBe(before);
    });
  });

  describe('GET /queues/:name/tasks/:id', () => {
    it('answers 404 for an unknown task and 400 for an id that is not a UUID', async () => {
      await refused(api.client('viewer').call('tasks.get', { params: { name: 'jobs', id: '0193a4b2-0000-7000-8000-000000000000' } }), 404, 'params.id');
      await refused(api.client('viewer').call('tasks.get', { params: { name: 'jobs', id: 'not-a-uuid' } }), 400, 'params.id');
    });
  });

  describe('POST /queues/:name/tasks/:id/cancel', () => {
    it('cancels a queued task once; a second cancel does not apply', async () => {
      const client = api.client('operator');
      const { id } = await client.call('tasks.enqueue', { params: { name: 'jobs' }, body: { type: 'doomed' } });
      expect(await client.call('tasks.cancel', { params: { name: 'jobs', id } })).toEqual({ id, applied: true });
      expect((await client.call('tasks.get', { params: { name: 'jobs', id } })).state).toBe('cancelled');
      expect(await client.call('tasks.cancel', { params: { name: 'jobs', id } })).toEqual({ id, applied: false });
      await refused(client.call('tasks.cancel', { params: { name: 'jobs', id: '0193a4b2-0000-7000-8000-000000000001' } }), 404);
    });
  });

  describe('POST /queues/:name/tasks/:id/promote', () => {
    it('makes a delayed task queued now', async () => {
      const client = api.client('operator');
      const { id } = await client.call('tasks.enqueue', { params: { name: 'jobs' }, body: { type: 'later', delayMs: 3_600_000 } });
      expect((await client.call('tasks.get', { params: { name: 'jobs', id } })).state).toBe('scheduled');
      expect(await client.call('tasks.promote', { params: { name: 'jobs', id } })).toEqual({ id, applied: true });
      expect((await client.call('tasks.get', { params: { name: 'jobs', id } })).state).toBe('queued');
      expect(await client.call('tasks.promote', { params: { name: 'jobs', id } })).toEqual({ id, applied: false });
    });
  });

  it('audits enqueues without their payload', async () => {
    const { entries } = await api.client('admin').call('audit.list', { query: { action: 'tasks.enqueue', limit: 50 } });
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(JSON.stringify(entry)).not.toContain('image');
  });

  describe('GET /queues/:name/tasks/:id: every attempt with the lines its handler logged', () => {
    it('shows each attempt’s worker, times, error and stack, and logs, live and after archiving', async () => {
      await api.client('operator').call('queues.create', { body: { name: 'logged', deduplicationWindowMs: 60_000 } });
      const worker = createWorker({
        redisUrl,
        prefix: api.redisPrefix,
        queues: ['logged'],
        log: pino({ level: 'silent' }),
        handlers: {
          flaky: async ({ attempt, log }) => {
            log(`attempt ${attempt}: calling the gateway`);
            if (attempt === 1) throw new Error('gateway 503');
            log('charged');
            return { charged: true };
          },
        },
      });
      await worker.start();
      try {
        const { id } = await api.client('operator').call('tasks.enqueue', { params: { name: 'logged' }, body: { type: 'flaky', backoff: { delayMs: 0, jitter: 0 } } });
        const task = await until(async () => {
          const found = await api.client('viewer').call('tasks.get', { params: { name: 'logged', id } });
          return found.state === 'succeeded' ? found : undefined;
        }, { message: 'the task to succeed on its second attempt' });
        expect(task.history).toMatchObject([
          { attempt: 1, outcome: 'failed', workerId: worker.id, error: { message: 'gateway 503', stack: expect.stringContaining('gateway 503') }, logs: ['attempt 1: calling the gateway'] },
          { attempt: 2, outcome: 'succeeded', workerId: worker.id, logs: ['attempt 2: calling the gateway', 'charged'] },
        ]);
        expect(task.history.every((attempt) => attempt.startedAt > 0 && attempt.finishedAt! >= attempt.startedAt)).toBe(true);
        // Once the archiver has moved it to history, the same answer comes from PostgreSQL.
        await until(async () => (await api.pool.query('select 1 from task_history where id = $1', [id])).rowCount === 1, { message: 'the task to be archived' });
        await until(async () => !(await api.agent.engine.getTask('logged', id)), { message: 'the engine to forget the task' });
        const archived = await api.client('viewer').call('tasks.get', { params: { name: 'logged', id } });
        expect(archived.history.map((attempt) => attempt.logs)).toEqual([['attempt 1: calling the gateway'], ['attempt 2: calling the gateway', 'charged']]);
      } finally {
        await worker.close({ drainMs: 0 });
      }
    });
  });
});
