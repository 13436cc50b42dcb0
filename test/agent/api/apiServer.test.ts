import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints } from '../../../shared/api/endpoints.js';
import { startApiTestAgent, type ApiTestAgent } from '../../helpers/apiAgent.js';

describe('the API server: headers, CORS, limits, errors, OpenAPI', () => {
  let api: ApiTestAgent;
  beforeAll(async () => {
    api = await startApiTestAgent({ settings: { corsOrigins: 'https://ops.example.com', bodyLimit: '4096' } });
  });
  afterAll(async () => api?.close());

  const authorised = () => ({ authorization: `Bearer ${api.sessions.operator.accessToken}` });

  it('sends security headers', async () => {
    const response = await fetch(`${api.url}/api/v1/queues`, { headers: authorised() });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age/);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('allows CORS only for listed origins', async () => {
    const preflight = (origin: string) =>
      fetch(`${api.url}/api/v1/queues`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    const allowed = await preflight('https://ops.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://ops.example.com');
    const other = await preflight('https://evil.example.com');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a body over the limit with 413 and changes nothing', async () => {
    await api.client('operator').call('queues.create', { body: { name: 'limits' } });
    const response = await fetch(`${api.url}/api/v1/queues/limits/tasks`, {
      method: 'POST',
      headers: { ...authorised(), 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'big', payload: 'x'.repeat(8192) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large', field: 'body' } });
    expect((await api.client('viewer').call('queues.get', { params: { name: 'limits' } })).counts.queued).toBe(0);
  });

  it('answers an unknown route with a 404 body in the standard shape', async () => {
    const response = await fetch(`${api.url}/api/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('refuses an unsupported media type with a 4xx naming the body', async () => {
    const response = await fetch(`${api.url}/api/v1/queues`, { method: 'POST', headers: { ...authorised(), 'content-type': 'application/xml' }, body: '<queue name="x"/>' });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: { field: 'body' } });
  });

  it('serves OpenAPI at /api/docs with every endpoint', async () => {
    const response = await fetch(`${api.url}/api/docs/json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, { operationId: string }>> };
    expect(document.openapi).toMatch(/^3\./);
    const versioned = Object.entries(document.paths).filter(([path]) => path.startsWith('/api/v1/'));
    const operations = versioned.flatMap(([, methods]) =>Object.values(methods).map((operation) => operation.operationId));
    expect(operations.sort()).toEqual(Object.keys(endpoints).sort());
    expect((await fetch(`${api.url}/api/docs`)).status).toBeLessThan(400);
  });
});
