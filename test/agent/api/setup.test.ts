import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiTestAgent, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { refused } from '../../helpers/apiErrors.js';

describe('POST /setup: the first admin, from the one-time token the agent prints', () => {
  let api: ApiTestAgent;
  let token: string;

  beforeAll(async () => {
    api = await startApiTestAgent({ withUsers: false });
    const line = api.logs.find((entry) => String(entry.msg).includes('one-time setup token'));
    token = String(line?.msg).split(': ').at(-1)!;
  });
  afterAll(async () => api?.close());

  it('prints a setup token at first start, and no default password exists', async () => {
    expect(token.length).toBeGreaterThanOrEqual(20);
    await refused(api.client().call('auth.login', { body: { username: 'admin', password: 'admin' } }), 401);
  });

  it('refuses a wrong token and creates nobody', async () => {
    await refused(api.client().call('setup.createAdmin', { body: { token: `${token}x`, username: 'root', password: 'a long enough password' } }), 401);
    await refused(api.client().call('auth.login', { body: { username: 'root', password: 'a long enough password' } }), 401);
  });

  it('creates the first admin with the right token, signed in at once, and audits it', async () => {
    const session = await api.client().call('setup.createAdmin', { body: { token, username: 'root', password: 'a long enough password' } });
    expect(session.user).toMatchObject({ username: 'root', role: 'admin' });
    const admin = api.client({ authorization: `Bearer ${session.accessToken}` });
    const { entries } = await admin.call('audit.list', { query: { action: 'setup.createAdmin' } });
    expect(entries[0]).toMatchObject({ target: 'user:root', actor: { kind: 'system' } });
    expect(JSON.stringify(entries)).not.toContain(token);
  });

  it('works once: the same token is refused afterwards', async () => {
    await refused(api.client().call('setup.createAdmin', { body: { token, username: 'second', password: 'a long enough password' } }), 401);
  });
});
