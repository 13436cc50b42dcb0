import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiTestAgent, testPassword, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { refused } from '../../helpers/apiErrors.js';

describe('user routes', () => {
  let api: ApiTestAgent;
  beforeAll(async () => {
    api = await startApiTestAgent();
  });
  afterAll(async () => api?.close());

  describe('GET /users', () => {
    it('lists users without their password hashes', async () => {
      const { users } = await api.client('admin').call('users.list', {});
      expect(users.map((user) => user.username).sort()).toEqual(['admin-user', 'operator-user', 'viewer-user']);
      expect(JSON.stringify(users)).not.toMatch(/argon2/);
    });
  });

  describe('POST /users', () => {
    it('creates a user who can sign in', async () => {
      const created = await api.client('admin').call('users.create', { body: { username: 'dana', password: 'a long enough password', role: 'operator' } });
      expect(created).toMatchObject({ username: 'dana', role: 'operator', disabled: false });
      await api.client().call('auth.login', { body: { username: 'dana', password: 'a long enough password' } });
    });

    it('names the field: a taken name (any case), a weak password, an unknown role', async () => {
      const admin = api.client('admin');
      await refused(admin.call('users.create', { body: { username: 'DANA', password: 'a long enough password', role: 'viewer' } }), 400, 'body.username');
      await refused(admin.call('users.create', { body: { username: 'erin', password: 'short', role: 'viewer' } }), 400, 'body.password');
      await refused(admin.call('users.create', { body: { username: 'erin', password: 'a long enough password', role: 'root' as never } }), 400, 'body.role');
    });
  });

  describe('PATCH /users/:id', () => {
    it('changes a role and ends the sessions of that user', async () => {
      const admin = api.client('admin');
      const session = await api.client().call('auth.login', { body: { username: 'dana', password: 'a long enough password' } });
      const { users } = await admin.call('users.list', {});
      const dana = users.find((user) => user.username === 'dana')!;
      expect((await admin.call('users.update', { params: { id: dana.id }, body: { role: 'viewer' } })).role).toBe('viewer');
      await refused(api.client().call('auth.refresh', { body: { refreshToken: session.refreshToken } }), 401);
      const { entries } = await admin.call('audit.list', { query: { action: 'users.update' } });
      expect(entries[0]).toMatchObject({ target: 'user:dana', before: { role: 'operator' }, after: { role: 'viewer' } });
    });

    it('disables a user, who can no longer sign in', async () => {
      const admin = api.client('admin');
      const dana = (await admin.call('users.list', {})).users.find((user) => user.username === 'dana')!;
      await admin.call('users.update', { params: { id: dana.id }, body: { disabled: true } });
      await refused(api.client().call('auth.login', { body: { username: 'dana', password: 'a long enough password' } }), 401);
    });

    it('refuses to demote or disable the last enabled admin', async () => {
      const admin = api.client('admin');
      await refused(admin.call('users.update', { params: { id: api.users.admin.id }, body: { role: 'operator' } }), 409);
      await refused(admin.call('users.update', { params: { id: api.users.admin.id }, body: { disabled: true } }), 409);
      expect((await admin.call('auth.me', {})).role).toBe('admin');
    });

    it('answers 404 for an unknown user and 400 for an empty change', async () => {
      const admin = api.client('admin');
      await refused(admin.call('users.update', { params: { id: '0193a4b2-0000-7000-8000-000000000000' }, body: { role: 'viewer' } }), 404, 'params.id');
      await refused(admin.call('users.update', { params: { id: api.users.viewer.id }, body: {} }), 400);
    });
  });

  describe('DELETE /users/:id', () => {
    it('deletes a user; refuses deleting yourself', async () => {
      const admin = api.client('admin');
      const dana = (await admin.call('users.list', {})).users.find((user) => user.username === 'dana')!;
      await admin.call('users.delete', { params: { id: dana.id } });
      expect((await admin.call('users.list', {})).users.map((user) => user.username)).not.toContain('dana');
      await refused(admin.call('users.delete', { params: { id: api.users.admin.id } }), 409);
    });
  });

  it('the viewer still signs in with the original password (nothing above touched it)', async () => {
    await api.client().call('auth.login', { body: { username: 'viewer-user', password: testPassword('viewer') } });
  });
});
