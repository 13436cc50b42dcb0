import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiTestAgent, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { refused } from '../../helpers/apiErrors.js';

describe('queue routes', () => {
  let api: ApiTestAgent;
  beforeAll(async () => {
    api = await startApiTestAgent();
  });
  afterAll(async () => api?.close());

  describe('POST /queues', () => {
    it('creates a queue with defaults filled in and answers its summary', async () => {
      const created = await api.client('operator').call('queues.create', { body: { name: 'mail', concurrency: 5, rateLimit: { max: 10, intervalMs: 1000 } } });
      expect(created.definition).toMatchObject({ name: 'mail', engine: 'redis', concurrency: 5, rateLimit: { max: 10, intervalMs: 1000 }, maxPayloadBytes: 1024 * 1024 });
      expect(created.paused).toBe(false);
      expect(created.counts.queued).toBe(0);
    });

    it('refuses a second queue of the same name with 409', async () => {
      await refused(api.client('operator').call('queues.create', { body: { name: 'mail' } }), 409, 'body.name');
    });

    it('names the bad field: a bad name, an unknown setting, a rate limit of zero', async () => {
      const client = api.client('operator');
      await refused(client.call('queues.create', { body: { name: 'has space' } }), 400, 'body.name');
      await refused(client.call('queues.create', { body: { name: 'ok', colour: 'red' } as never }), 400);
      const error = await refused(client.call('queues.create', { body: { name: 'ok', rateLimit: { max: 0, intervalMs: 1000 } } }), 400, 'body.rateLimit.max');
      expect(error.code).toBe('invalid_request');
      expect((await client.call('queues.list', {})).queues.map((queue) => queue.definition.name)).not.toContain('ok');
    });
  });

  describe('GET /queues and GET /queues/:name', () => {
    it('lists queues with live counts', async () => {
      await api.client('operator').call('tasks.enqueue', { params: { name: 'mail' }, body: { type: 'send' } });
      const { queues } = await api.client('viewer').call('queues.list', {});
      expect(queues.find((queue) => queue.definition.name === 'mail')?.counts.queued).toBe(1);
      expect((await api.client('viewer').call('queues.get', { params: { name: 'mail' } })).counts.queued).toBe(1);
    });

    it('answers 404 naming the queue', async () => {
      await refused(api.client('viewer').call('queues.get', { params: { name: 'nope' } }), 404, 'params.name');
    });
  });

  describe('PATCH /queues/:name', () => {
    it('changes only the settings given, and keeps the engine', async () => {
      const updated = await api.client('operator').call('queues.update', { params: { name: 'mail' }, body: { concurrency: null, retention: { payload: 'none' } } });
      expect(updated.definition).toMatchObject({ concurrency: null, rateLimit: { max: 10, intervalMs: 1000 }, retention: { payload: 'none', maxCount: 1_000_000 } });
    });

    it('sets the default retry policy of the queue’s tasks, and changes parts of it', async () => {
      const client = api.client('operator');
      const created = await client.call('queues.create', { body: { name: 'retrying', retry: { maxAttempts: 10, backoff: { kind: 'fixed', delayMs: 500 } } } });
      expect(created.definition.retry).toEqual({ maxAttempts: 10, timeoutMs: 30_000, backoff: { kind: 'fixed', delayMs: 500, maxDelayMs: 3_600_000, jitter: 0.5 } });
      const updated = await client.call('queues.update', { params: { name: 'retrying' }, body: { retry: { backoff: { jitter: 0 } } } });
      expect(updated.definition.retry).toEqual({ maxAttempts: 10, timeoutMs: 30_000, backoff: { kind: 'fixed', delayMs: 500, maxDelayMs: 3_600_000, jitter: 0 } });
      const { id } = await client.call('tasks.enqueue', { params: { name: 'retrying' }, body: { type: 't' } });
      expect(await client.call('tasks.get', { params: { name: 'retrying', id } })).toMatchObject({ maxAttempts: 10, backoff: { kind: 'fixed', jitter: 0 } });
      await refused(client.call('queues.update', { params: { name: 'retrying' }, body: { retry: { maxAttempts: 0 } } }), 400, 'body.retry.maxAttempts');
    });

    it('refuses a change of engine: it is not a setting', async () => {
      await refused(api.client('operator').call('queues.update', { params: { name: 'mail' }, body: { engine: 'postgres' } as never }), 400);
    });
  });

  describe('POST /queues/:name/pause and /resume', () => {
    it('pauses and resumes', async () => {
      const client = api.client('operator');
      expect((await client.call('queues.pause', { params: { name: 'mail' } })).paused).toBe(true);
      expect((await client.call('queues.get', { params: { name: 'mail' } })).paused).toBe(true);
      expect((await client.call('queues.resume', { params: { name: 'mail' } })).paused).toBe(false);
    });
  });

  describe('DELETE /queues/:name', () => {
    it('refuses while a task is active unless forced', async () => {
      const client = api.client('operator');
      await client.call('queues.create', { body: { name: 'busy' } });
      await client.call('tasks.enqueue', { params: { name: 'busy' }, body: { type: 'slow' } });
      await api.agent.engine.claim('busy', { workerId: 'test', max: 1, leaseMs: 60_000 });
      await refused(client.call('queues.delete', { params: { name: 'busy' }, query: {} }), 409, 'query.force');
      expect((await client.call('queues.get', { params: { name: 'busy' } })).counts.active).toBe(1);
      await client.call('queues.delete', { params: { name: 'busy' }, query: { force: 'true' } });
      await refused(client.call('queues.get', { params: { name: 'busy' } }), 404);
    });

    it('deletes an idle queue', async () => {
      const client = api.client('operator');
      await client.call('queues.create', { body: { name: 'idle' } });
      await client.call('queues.delete', { params: { name: 'idle' }, query: {} });
      expect((await client.call('queues.list', {})).queues.map((queue) => queue.definition.name)).not.toContain('idle');
    });
  });

  it('writes every change to the audit log with who, what and the before/after', async () => {
    const { entries } = await api.client('admin').call('audit.list', { query: { action: 'queues.update' } });
    const mail = entries.filter((entry) => entry.target === 'queue:mail');
    expect(mail[0]).toMatchObject({
      action: 'queues.update',
      target: 'queue:mail',
      actor: { kind: 'user', name: 'operator-user', role: 'operator' },
      before: { concurrency: 5 },
      after: { concurrency: null },
    });
    expect(mail[0]?.address).toMatch(/127\.0\.0\.1/);
  });
});
