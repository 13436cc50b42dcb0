import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../../shared/api/client.js';
import { startApiTestAgent, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { refused } from '../../helpers/apiErrors.js';

describe('API key routes', () => {
  let api: ApiTestAgent;
  beforeAll(async () => {
    api = await startApiTestAgent();
    await api.client('admin').call('queues.create', { body: { name: 'inbox' } });
  });
  afterAll(async () => api?.close());

  const withKey = (key: string) => createApiClient({ baseUrl: api.url, authorization: () => `Bearer ${key}` });

  describe('POST /keys', () => {
    it('shows the key once; the key works within its scope; lists never show it again', async () => {
      const { key, apiKey } = await api.client('admin').call('keys.create', { body: { name: 'producer', scopes: ['tasks:write'] } });
      expect(key).toMatch(/^sy_[a-z0-9]+_/);
      expect(key.startsWith(`sy_${apiKey.prefix}_`)).toBe(true);
      const { id } = await withKey(key).call('tasks.enqueue', { params: { name: 'inbox' }, body: { type: 'hello' } });
      expect(id).toBeTruthy();
      await refused(withKey(key).call('queues.list', {}), 403);
      const { keys } = await api.client('admin').call('keys.list', {});
      expect(JSON.stringify(keys)).not.toContain(key.split('_')[2]!);
      const listed = keys.find((candidate) => candidate.id === apiKey.id)!;
      expect(listed.lastUsedAt).not.toBeNull();
      const { entries } = await api.client('admin').call('audit.list', { query: { action: 'tasks.enqueue' } });
      expect(entries[0]?.actor).toMatchObject({ kind: 'apiKey', id: apiKey.id, name: 'producer' });
    });

    it('refuses scopes beyond the creator’s role, naming the field', async () => {
      await api.client('admin').call('users.create', { body: { username: 'keymaker', password: 'a long enough password', role: 'admin' } });
      await refused(api.client('admin').call('keys.create', { body: { name: 'x', scopes: [] } }), 400, 'body.scopes');
      await refused(api.client('admin').call('keys.create', { body: { name: 'x', scopes: ['everything' as never] } }), 400);
      await refused(api.client('admin').call('keys.create', { body: { name: 'x', scopes: ['read'], expiresAt: Date.now() - 1000 } }), 400, 'body.expiresAt');
    });

    it('refuses an API key creating keys, even with keys:admin', async () => {
      const { key } = await api.client('admin').call('keys.create', { body: { name: 'automation', scopes: ['keys:admin'] } });
      await refused(withKey(key).call('keys.create', { body: { name: 'child', scopes: ['read'] } }), 403);
    });
  });

  describe('DELETE /keys/:id', () => {
    it('revokes: the key is refused from then on', async () => {
      const { key, apiKey } = await api.client('admin').call('keys.create', { body: { name: 'short-lived', scopes: ['read'] } });
      await withKey(key).call('queues.list', {});
      await api.client('admin').call('keys.revoke', { params: { id: apiKey.id } });
      await refused(withKey(key).call('queues.list', {}), 401);
      await refused(api.client('admin').call('keys.revoke', { params: { id: '0193a4b2-0000-7000-8000-000000000000' } }), 404);
    });
  });

  describe('per-key rate limit', () => {
    it('answers 429 with Retry-After once a key is over its rate, and leaves other keys alone', async () => {
      const limited = await startApiTestAgent({ settings: { apiKeyRateLimit: '5' } });
      try {
        const admin = limited.client('admin');
        const { key } = await admin.call('keys.create', { body: { name: 'busy', scopes: ['read'] } });
        const { key: other } = await admin.call('keys.create', { body: { name: 'calm', scopes: ['read'] } });
        // Requests go one after another until the first 429, bounded; on a slow machine a window can pass between two.
        const statuses: number[] = [];
        let retryAfter: string | null = null;
        const started = Date.now();
        while (retryAfter === null && statuses.length < 100) {
          const response = await fetch(`${limited.url}/api/v1/queues`, { headers: { authorization: `Bearer ${key}` } });
          statuses.push(response.status);
          if (response.status === 429) retryAfter = response.headers.get('retry-after');
          await response.arrayBuffer();
        }
        expect(statuses).toContain(429);
        expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
        // No one-second window let more than 5 through.
        const windows = 1 + Math.ceil((Date.now() - started) / 1000);
        expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(5 * windows);
        const calm = await fetch(`${limited.url}/api/v1/queues`, { headers: { authorization: `Bearer ${other}` } });
        expect(calm.status).toBe(200);
        // Users signed in with a token are not limited this way.
        for (let request = 0; request < 10; request++) await admin.call('queues.list', {});
      } finally {
        await limited.close();
      }
    });
  });
});
