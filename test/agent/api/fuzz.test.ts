import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPrefix } from '../../../shared/api/endpoint.js';
import { endpoints, type EndpointName } from '../../../shared/api/endpoints.js';
import { startApiTestAgent, type ApiTestAgent } from '../../helpers/apiAgent.js';

/**
 * Property: whatever arrives — random JSON, broken JSON, wrong types, odd media types, random
 * path parameters and query strings — the API answers below 500, and a refused request changes
 * nothing. Each endpoint gets its own run; fast-check prints the seed and the shrunk request of a
 * failure, so a failure can be replayed.
 */
describe('fuzz: random and malformed requests at every endpoint', () => {
  let api: ApiTestAgent;
  let baseline: string;

  /** Everything a request could change: queues and their counts, users, keys, sessions, the audit log. */
  async function snapshot(): Promise<string> {
    const queues = await api.client('admin').call('queues.list', {});
    const { rows } = await api.pool.query(
      `select (select count(*) from users) as users, (select count(*) from api_keys) as keys, (select count(*) from api_keys where revoked_at is not null) as revoked,
              (select count(*) from refresh_tokens) as refresh, (select count(*) from audit_log) as audit, (select count(*) from queues) as queues,
              (select count(*) from schedules) as schedules, (select count(*) from task_history) as history,
              (select count(*) from task_history where requeued_at is not null) as requeued,
              (select string_agg(role || disabled::text || password_hash, ',' order by id) from users) as credentials`,
    );
    return JSON.stringify({ queues, rows });
  }

  beforeAll(async () => {
    api = await startApiTestAgent();
    const admin = api.client('admin');
    await admin.call('queues.create', { body: { name: 'fuzz' } });
    await admin.call('tasks.enqueue', { params: { name: 'fuzz' }, body: { type: 'kept' } });
    baseline = await snapshot();
  });
  afterAll(async () => api?.close());

  const json = fc.jsonValue({ maxDepth: 3 });
  const body = fc.oneof(
    json.map((value) => ({ contentType: 'application/json', text: JSON.stringify(value) })),
    fc.string({ maxLength: 200 }).map((text) => ({ contentType: 'application/json', text })),
    fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' }).map((value) => ({ contentType: 'application/json', text: JSON.stringify(value) })),
    fc.constantFrom('{', '{"a":', '[1,2', '{"type":}', 'null', '""', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '{"username":"a\\u0000b","password":"x\\u0000"}', '{"type":"a\\u0000","payload":"\\ud800"}', '{"name":"q\\u0000"}').map((text) => ({ contentType: 'application/json', text })),
    fc.string({ maxLength: 100 }).map((text) => ({ contentType: 'text/plain', text })),
    fc.string({ maxLength: 100 }).map((text) => ({ contentType: 'application/x-www-form-urlencoded', text })),
    fc.constant({ contentType: '', text: '' }),
  );
  // Never the name of the queue that exists, so a request that passes validation finds nothing to change.
  const segment = fc.oneof(fc.string({ minLength: 1, maxLength: 80 }), fc.string({ minLength: 1, maxLength: 20, unit: 'binary' })).filter((text) => text !== 'fuzz');
  const query = fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 30 }), { maxKeys: 4 });

  /** A request to the endpoint's path with each `:param` replaced by a random segment. */
  function request(name: EndpointName) {
    const path = endpoints[name].path;
    const parameters = [...path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
    return fc.record({ values: fc.tuple(...parameters.map(() => segment)), query, body, asAdmin: fc.boolean() }).map(({ values, query: search, body: sent, asAdmin }) => {
      let url: string = path;
      parameters.forEach((parameter, index) => (url = url.replace(`:${parameter}`, encodeURIComponent(values[index]!))));
      const queryString = new URLSearchParams(search).toString();
      return { url: `${apiPrefix}${url}${queryString ? `?${queryString}` : ''}`, body: sent, asAdmin };
    });
  }

  const names = Object.keys(endpoints) as EndpointName[];

  it.each(names)('%s: never a 5xx, and a refused request changes nothing', async (name) => {
    const method = endpoints[name].method;
    await fc.assert(
      fc.asyncProperty(request(name), async ({ url, body: sent, asAdmin }) => {
        const headers: Record<string, string> = asAdmin ? { authorization: `Bearer ${api.sessions.admin.accessToken}` } : {};
        if (sent.contentType) headers['content-type'] = sent.contentType;
        const response = await fetch(`${api.url}${url}`, { method, headers, body: method === 'GET' || method === 'DELETE' ? undefined : sent.text });
        const text = await response.text();
        expect(response.status, `${method} ${url} ${sent.text.slice(0, 80)} → ${text.slice(0, 200)}`).toBeLessThan(500);
        if (method !== 'GET') expect(response.status, `${method} ${url} was accepted: ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(text).not.toMatch(/\bat .+:\d+:\d+\)?$/m);
      }),
      { numRuns: 40 },
    );
    expect(await snapshot()).toBe(baseline);
  });

  const withBody = names.filter((name) => 'body' in endpoints[name]);

  it.each(withBody)('%s: a NUL character or half a surrogate pair anywhere in the body is refused, naming the field', async (name) => {
    const { method, path } = endpoints[name];
    const url = `${api.url}${apiPrefix}${path.replace(':name', 'fuzz').replace(':id', '0193a4b2-0000-7000-8000-00000000abcd')}`;
    for (const text of ['{"username":"a\\u0000b","password":"x\\u0000","name":"n","type":"t"}', '{"tasks":[{"type":"t"},{"type":"t","payload":["\\ud800"]}]}']) {
      const response = await fetch(url, { method, headers: { authorization: `Bearer ${api.sessions.admin.accessToken}`, 'content-type': 'application/json' }, body: text });
      const answer = (await response.json()) as { error: { field: string } };
      expect(response.status, JSON.stringify(answer)).toBe(400);
      expect(answer.error.field).toMatch(/^body\.(username|tasks\[1\]\.payload\[0\])$/);
    }
    expect(await snapshot()).toBe(baseline);
  });
});
