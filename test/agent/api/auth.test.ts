import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/api/ApiError.js';
import { createApiClient } from '../../../shared/api/client.js';
import { startApiTestAgent, testPassword, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { refused } from '../../helpers/apiErrors.js';

describe('auth routes', () => {
  let api: ApiTestAgent;
  beforeAll(async () => {
    api = await startApiTestAgent();
  });
  afterAll(async () => api?.close());

  describe('POST /auth/login', () => {
    it('answers a short-lived access token and a refresh token', async () => {
      const session = await api.client().call('auth.login', { body: { username: 'viewer-user', password: testPassword('viewer') } });
      expect(session.user).toMatchObject({ username: 'viewer-user', role: 'viewer' });
      expect(session.accessTokenExpiresAt - Date.now()).toBeGreaterThan(14 * 60_000);
      expect(session.accessTokenExpiresAt - Date.now()).toBeLessThanOrEqual(15 * 60_000);
      expect(session.refreshTokenExpiresAt).toBeGreaterThan(session.accessTokenExpiresAt);
      expect(JSON.stringify(session)).not.toMatch(/argon2|password_?hash|"password"/i);
    });

    it('refuses a wrong password and an unknown user with the same message', async () => {
      const wrong = await refused(api.client().call('auth.login', { body: { username: 'viewer-user', password: 'not the password' } }), 401);
      const unknown = await refused(api.client().call('auth.login', { body: { username: 'nobody', password: 'not the password' } }), 401);
      expect(wrong.message).toBe(unknown.message);
    });

    it('slows brute force with growing delays and logs every failure, without locking out other addresses', async () => {
      const attacker = '127.0.0.1';
      const client = api.client();
      let limited: ApiError | undefined;
      for (let attempt = 0; attempt < 12 && !limited; attempt++) {
        const error = await client.call('auth.login', { body: { username: 'operator-user', password: `guess ${attempt}` } }).catch((thrown: unknown) => thrown);
        expect(error).toBeInstanceOf(ApiError);
        expect([401, 429]).toContain((error as ApiError).status);
        if ((error as ApiError).status === 429) limited = error as ApiError;
      }
      expect(limited?.code).toBe('rate_limited');
      expect(limited?.retryAfterSeconds).toBeGreaterThan(0);
      // Even the right password waits now, from this address.
      await refused(client.call('auth.login', { body: { username: 'operator-user', password: testPassword('operator') } }), 429);
      const failures = api.logs.filter((line) => line.msg === 'login failed' && line.username === 'operator-user');
      expect(failures.length).toBeGreaterThanOrEqual(5);
      expect(failures[0]).toMatchObject({ address: attacker });
      expect(api.logs.some((line) => line.msg === 'login refused: too many failed attempts')).toBe(true);
      // Another account from the same address is not locked.
      await client.call('auth.login', { body: { username: 'admin-user', password: testPassword('admin') } });
    });
  });

  describe('POST /auth/refresh', () => {
    it('rotates: the new refresh token works, the old one is refused and revokes the whole family', async () => {
      const client = api.client();
      const first = await client.call('auth.login', { body: { username: 'viewer-user', password: testPassword('viewer') } });
      const second = await client.call('auth.refresh', { body: { refreshToken: first.refreshToken } });
      expect(second.refreshToken).not.toBe(first.refreshToken);
      await refused(client.call('auth.refresh', { body: { refreshToken: first.refreshToken } }), 401);
      // The replay revoked the family: the thief's and the owner's newer token are both dead now.
      await refused(client.call('auth.refresh', { body: { refreshToken: second.refreshToken } }), 401);
      expect(api.logs.some((line) => String(line.msg).includes('refresh token was presented again'))).toBe(true);
    });

    it('refuses garbage', async () => {
      await refused(api.client().call('auth.refresh', { body: { refreshToken: 'not-a-token' } }), 401);
    });
  });

  describe('POST /auth/logout', () => {
    it('revokes the refresh token', async () => {
      const client = api.client();
      const session = await client.call('auth.login', { body: { username: 'viewer-user', password: testPassword('viewer') } });
      await client.call('auth.logout', { body: { refreshToken: session.refreshToken } });
      await refused(client.call('auth.refresh', { body: { refreshToken: session.refreshToken } }), 401);
    });
  });

  describe('GET /auth/me', () => {
    it('answers the principal with its permissions', async () => {
      expect(await api.client('operator').call('auth.me', {})).toMatchObject({ kind: 'user', name: 'operator-user', role: 'operator', permissions: expect.arrayContaining(['read', 'tasks:write']) });
      await refused(api.client().call('auth.me', {}), 401);
    });
  });

  describe('POST /auth/password', () => {
    it('needs the current password, refuses a weak one, and signs the user out everywhere', async () => {
      const client = api.client();
      const password = testPassword('viewer');
      const session = await client.call('auth.login', { body: { username: 'viewer-user', password } });
      const asViewer = createApiClient({ baseUrl: api.url, authorization: () => `Bearer ${session.accessToken}` });
      await refused(asViewer.call('auth.changePassword', { body: { currentPassword: 'wrong', newPassword: 'a much better password' } }), 400, 'body.currentPassword');
      await refused(asViewer.call('auth.changePassword', { body: { currentPassword: password, newPassword: 'short' } }), 400, 'body.newPassword');
      await asViewer.call('auth.changePassword', { body: { currentPassword: password, newPassword: 'a much better password' } });
      await refused(client.call('auth.refresh', { body: { refreshToken: session.refreshToken } }), 401);
      await refused(client.call('auth.login', { body: { username: 'viewer-user', password } }), 401);
      await client.call('auth.login', { body: { username: 'viewer-user', password: 'a much better password' } });
      const { entries } = await api.client('admin').call('audit.list', { query: { action: 'auth.changePassword' } });
      expect(entries[0]).toMatchObject({ target: 'user:viewer-user' });
      expect(JSON.stringify(entries)).not.toContain('much better');
    });
  });
});
