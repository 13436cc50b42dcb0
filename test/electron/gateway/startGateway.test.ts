import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/api/ApiError.js';
import type { ServerMessage } from '../../../shared/api/events.js';
import { clusterBaseUrl, gatewaySecretCookie, gatewaySecretHeader } from '../../../shared/gateway.js';
import { consoleContentSecurityPolicy } from '../../../shared/security/contentSecurityPolicy.js';
import { startApiTestAgent, testPassword, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { openEventSocket } from '../../helpers/eventSocket.js';
import { keyringSkipReason, startKeyring, type TestKeyring } from '../../helpers/keyring.js';
import { rawRequest, startGatewayHarness, type GatewayHarness } from './gatewayHarness.js';

const skipReason = keyringSkipReason();
if (skipReason) console.warn(`startGateway.test.ts: ${skipReason}`);

const colour = '#3b82f6';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.skipIf(skipReason !== '')(`the gateway against a real agent${skipReason ? ` — ${skipReason}` : ''}`, () => {
  let keyring: TestKeyring;
  let api: ApiTestAgent;
  let harness: GatewayHarness;
  const operator = () => ({ username: api.users.operator.username, password: testPassword('operator') });

  beforeAll(async () => {
    keyring = await startKeyring();
    api = await startApiTestAgent();
    harness = await startGatewayHarness();
    await harness.service.add({ name: 'Local', colour, connection: { kind: 'direct', url: api.url } });
    await api.client('admin').call('queues.create', { body: { name: 'mail' } });
  });
  afterAll(async () => {
    await harness?.close();
    await api?.close();
    await keyring?.close();
  });

  const host = () => new URL(harness.gateway.origin).host;
  const withSecret = (headers: Record<string, string> = {}) => ({ [gatewaySecretHeader]: harness.gateway.secret, ...headers });

  it('refuses cluster requests without the secret, for another Host, from other sites and other origins', async () => {
    const { origin, secret } = harness.gateway;
    const path = '/c/local/api/v1/queues';
    const none = await rawRequest(origin, path);
    expect(none.status).toBe(401);
    expect(none.error?.message).toContain("the gateway's secret is missing or wrong");
    expect((await rawRequest(origin, path, { headers: { [gatewaySecretHeader]: `${secret.slice(0, -1)}x` } })).status).toBe(401);
    expect((await rawRequest(origin, path, { headers: { cookie: `${gatewaySecretCookie}=wrong` } })).status).toBe(401);

    // DNS rebinding: a page of evil.example resolved to 127.0.0.1 sends its own name as Host.
    for (const wrongHost of ['evil.example', `localhost:${new URL(origin).port}`, `127.0.0.1:${Number(new URL(origin).port) + 1}`]) {
      const answer = await rawRequest(origin, path, { headers: withSecret({ host: wrongHost }) });
      expect(answer.status, wrongHost).toBe(421);
    }
    expect((await rawRequest(origin, '/', { headers: { host: 'evil.example' } })).status).toBe(421);

    for (const site of ['cross-site', 'same-site']) {
      const answer = await rawRequest(origin, path, { headers: withSecret({ 'sec-fetch-site': site }) });
      expect(answer.status, site).toBe(403);
    }
    const otherOrigin = await rawRequest(origin, path, { method: 'POST', headers: withSecret({ origin: 'http://evil.example', 'content-type': 'application/json' }), body: '{"name":"x"}' });
    expect(otherOrigin.status).toBe(403);
    expect(otherOrigin.error?.message).toContain('requests from http://evil.example are refused');

    // Past the guard, the cluster has no credential yet: the message says what to do.
    for (const passing of [withSecret({ 'sec-fetch-site': 'same-origin', origin }), { cookie: `theme=dark; ${gatewaySecretCookie}=${secret}` }]) {
      const answer = await rawRequest(origin, path, { headers: passing });
      expect(answer.status).toBe(401);
      expect(answer.error?.message).toBe('you are not signed in to cluster Local: sign in to it (or give it an API key) in the Clusters view');
    }
  });

  it('answers 404 naming an unknown cluster', async () => {
    const answer = await rawRequest(harness.gateway.origin, '/c/nowhere/api/v1/queues', { headers: withSecret() });
    expect(answer.status).toBe(404);
    expect(answer.error).toEqual({ code: 'not_found', message: 'there is no cluster nowhere in this app: add it in the Clusters view' });
  });

  it("after signIn through the service, proxies every method with the operator's credential in place of the page's", async () => {
    const view = await harness.service.signIn('local', operator());
    expect(view).toMatchObject({ credential: 'session', principal: { name: 'operator-user', role: 'operator' }, pendingHostKey: null });
    const stored = await harness.secrets.get('local', 'refreshToken');
    expect(stored).toMatch(/^[0-9a-f-]{36}\.[\w-]+$/);

    // The page's own Authorization (a viewer's) is dropped: the agent sees the operator.
    const client = harness.client('local', { authorization: `Bearer ${api.sessions.viewer.accessToken}` });
    expect(await client.call('auth.me', {})).toMatchObject({ name: 'operator-user', role: 'operator' });
    const { queues } = await client.call('queues.list', {});
    expect(queues.map((queue) => queue.definition.name)).toContain('mail');
    const enqueued = await client.call('tasks.enqueue', { params: { name: 'mail' }, body: { type: 'send', payload: { to: 'a@example.com', body: 'x'.repeat(50_000) } } });
    const task = await api.client('admin').call('tasks.get', { params: { name: 'mail', id: enqueued.id } });
    expect(task.payload).toEqual({ to: 'a@example.com', body: 'x'.repeat(50_000) });
    const refused = await client.call('queues.delete', { params: { name: 'nope' }, query: {} }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(404);

    const raw = await rawRequest(harness.gateway.origin, '/c/local/api/v1/queues?limit=5', { headers: withSecret({ cookie: `${gatewaySecretCookie}=${harness.gateway.secret}` }) });
    expect(raw.status).toBe(200);
    expect(raw.headers['set-cookie']).toBeUndefined();
  });

  it('works with an API key instead, acting with its scopes; signing out leaves no credential', async () => {
    const created = await api.client('admin').call('keys.create', { body: { name: 'desktop read-only', scopes: ['read'] } });
    const view = await harness.service.useApiKey('local', created.key);
    expect(view).toMatchObject({ credential: 'apiKey', principal: { name: 'desktop read-only', role: 'admin' } });
    expect(await harness.secrets.get('local', 'apiKey')).toBe(created.key);
    expect(await harness.secrets.get('local', 'refreshToken')).toBeUndefined();

    const client = harness.client('local');
    expect(await client.call('auth.me', {})).toMatchObject({ kind: 'apiKey', name: 'desktop read-only' });
    expect((await client.call('queues.list', {})).queues.length).toBeGreaterThan(0);
    const forbidden = await client.call('queues.create', { body: { name: 'not-allowed' } }).catch((error: unknown) => error);
    expect((forbidden as ApiError).status).toBe(403);

    await expect(harness.service.useApiKey('local', 'sy_not_a_real_key')).rejects.toThrow();
    expect(harness.service.list()[0]).toMatchObject({ credential: 'apiKey' });

    const signedOut = await harness.service.signOut('local');
    expect(signedOut).toMatchObject({ credential: 'none', principal: null });
    expect(await harness.secrets.get('local', 'apiKey')).toBeUndefined();
    expect((await rawRequest(harness.gateway.origin, '/c/local/api/v1/queues', { headers: withSecret() })).status).toBe(401);
  });

  it('bridges the event stream: the gateway authenticates, drops the page’s authenticate, and events arrive', async () => {
    await harness.service.signIn('local', operator());
    const refusedUpgrade = await openEventSocket(clusterBaseUrl(harness.gateway.origin, 'local')).catch((error: Error) => error);
    expect(String(refusedUpgrade)).toContain('upgrade refused with 401');

    const events = await openEventSocket(clusterBaseUrl(harness.gateway.origin, 'local'), withSecret({ origin: harness.gateway.origin }));
    try {
      events.send({ type: 'authenticate', token: 'whatever-the-page-holds' });
      const authenticated = await events.next((message) => message.type === 'authenticated', { message: 'authenticated' });
      expect(authenticated).toMatchObject({ principal: { name: 'operator-user', role: 'operator' } });
      events.send({ type: 'subscribe', id: 'mail-tasks', topic: { kind: 'tasks', queue: 'mail' } });
      await events.next((message) => message.type === 'subscribed' && message.id === 'mail-tasks', { message: 'subscribed' });

      const enqueued = await harness.client('local').call('tasks.enqueue', { params: { name: 'mail' }, body: { type: 'through-the-gateway' } });
      const seen = (message: ServerMessage) =>
        message.type === 'event' && message.id === 'mail-tasks' && message.kind === 'tasks' && 'tasks' in message.data && message.data.tasks.some((task) => task.id === enqueued.id);
      await events.next(seen, { message: `an event for task ${enqueued.id}` });
      // Had the page's authenticate reached the agent, it would have answered an error.
      expect(events.messages.filter((message) => message.type === 'error')).toEqual([]);
      expect(events.messages.filter((message) => message.type === 'authenticated')).toHaveLength(1);
    } finally {
      await events.close();
    }
  });

  it('answers 502 with what to do when the agent cannot be reached, and reaches it again once it can', async () => {
    await harness.service.add({ name: 'Moved', colour, connection: { kind: 'direct', url: api.url } });
    const key = await api.client('admin').call('keys.create', { body: { name: 'moved', scopes: ['read'] } });
    await harness.service.useApiKey('moved', key.key);
    const port = await closedPort();
    await harness.service.update('moved', { name: 'Moved', colour, connection: { kind: 'direct', url: `http://127.0.0.1:${port}` } });

    const down = await rawRequest(harness.gateway.origin, '/c/moved/api/v1/queues', { headers: withSecret() });
    expect(down.status).toBe(502);
    expect(down.error?.code).toBe('unavailable');
    expect(down.error?.message).toContain(`cannot reach cluster Moved (http://127.0.0.1:${port})`);
    expect(down.error?.message).toContain('Check that its agent is running');
    const socket = await openEventSocket(clusterBaseUrl(harness.gateway.origin, 'moved'), withSecret()).catch((error: Error) => error);
    expect(String(socket)).toContain('upgrade refused with 502');

    await harness.service.update('moved', { name: 'Moved', colour, connection: { kind: 'direct', url: api.url } });
    expect((await rawRequest(harness.gateway.origin, '/c/moved/api/v1/queues', { headers: withSecret() })).status).toBe(200);
  });

  it("serves the renderer: index.html with the console's CSP for any page path, assets cached for good, nothing outside", async () => {
    const { origin } = harness.gateway;
    for (const path of ['/', '/queues', '/clusters/local']) {
      const page = await rawRequest(origin, path, { headers: { host: host() } });
      expect(page.status, path).toBe(200);
      expect(page.body).toContain('fixture renderer');
      expect(page.headers['content-security-policy']).toBe(consoleContentSecurityPolicy);
      expect(page.headers['cache-control']).toBe('no-cache');
    }
    for (const path of ['/assets/app-3f9a1c.js', '/queues/assets/app-3f9a1c.js']) {
      const asset = await rawRequest(origin, path);
      expect(asset.status, path).toBe(200);
      expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    for (const path of ['/assets/missing.js', '/assets/..%2Findex.html', '/assets/%2e%2e%2f%2e%2e%2fclusters.json', '/favicon.ico']) {
      expect((await rawRequest(origin, path)).status, path).toBe(404);
    }
    expect((await rawRequest(origin, '/', { method: 'POST' })).status).toBe(405);
  });

  it('closes every connection and event stream on close', async () => {
    const second = await startGatewayHarness();
    try {
      await second.service.add({ name: 'Local', colour, connection: { kind: 'direct', url: api.url } });
      await second.service.signIn('local', operator());
      const events = await openEventSocket(clusterBaseUrl(second.gateway.origin, 'local'), { [gatewaySecretHeader]: second.gateway.secret });
      await events.next((message) => message.type === 'authenticated', { message: 'authenticated' });
      await second.gateway.close();
      expect((await events.closed).code).toBe(1006);
      await expect(rawRequest(second.gateway.origin, '/')).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await second.service.signOut('local').catch(() => undefined);
      await second.close().catch(() => undefined);
    }
  });
});
