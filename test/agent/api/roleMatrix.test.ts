import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPrefix } from '../../../shared/api/endpoint.js';
import { endpoints, type EndpointName } from '../../../shared/api/endpoints.js';
import { roleAllows, roles, type Permission, type Role } from '../../../shared/security/permissions.js';
import { startApiTestAgent, type ApiTestAgent } from '../../helpers/apiAgent.js';

/** A path of the endpoint with placeholder parameters that match its schema (so the route is found). */
function pathOf(name: EndpointName): string {
  return apiPrefix + endpoints[name].path.replace(':name', 'matrix').replace(':id', '0193a4b2-0000-7000-8000-00000000abcd');
}

/**
 * Sends the request with no body: an allowed caller gets past the access check and is stopped
 * by validation (400) or finds nothing (404), so the matrix changes no state.
 */
async function statusOf(api: ApiTestAgent, name: EndpointName, authorization: string | undefined): Promise<number> {
  const response = await fetch(`${api.url}${pathOf(name)}`, { method: endpoints[name].method, headers: authorization ? { authorization } : {} });
  await response.arrayBuffer();
  return response.status;
}

function expectedFor(access: (typeof endpoints)[EndpointName]['access'], caller: { kind: 'user'; role: Role } | { kind: 'apiKey'; scopes: Permission[] } | { kind: 'anonymous' }): 'allow' | 'deny' | 'unauthenticated' {
  if (access === 'public') return 'allow';
  if (caller.kind === 'anonymous') return 'unauthenticated';
  if (access === 'authenticated') return 'allow';
  if (access === 'user') return caller.kind === 'user' ? 'allow' : 'deny';
  if (caller.kind === 'user') return roleAllows(caller.role, access) ? 'allow' : 'deny';
  return caller.scopes.includes(access) ? 'allow' : 'deny';
}

function verdict(status: number): 'allow' | 'deny' | 'unauthenticated' {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'deny';
  return 'allow';
}

describe('role matrix: every caller against every endpoint', () => {
  let api: ApiTestAgent;
  let readKey: string;
  let tasksKey: string;

  beforeAll(async () => {
    api = await startApiTestAgent();
    const admin = api.client('admin');
    readKey = (await admin.call('keys.create', { body: { name: 'reader', scopes: ['read'] } })).key;
    tasksKey = (await admin.call('keys.create', { body: { name: 'producer', scopes: ['tasks:write'] } })).key;
  });
  afterAll(async () => api?.close());

  const names = Object.keys(endpoints) as EndpointName[];

  it.each(roles)('role %s: allowed exactly where its permissions say, denied with 403 elsewhere', async (role) => {
    const table: string[] = [];
    for (const name of names) {
      const expected = expectedFor(endpoints[name].access, { kind: 'user', role });
      const actual = verdict(await statusOf(api, name, `Bearer ${api.sessions[role].accessToken}`));
      table.push(`${name}: expected ${expected}, got ${actual}`);
      expect.soft(actual, `${role} → ${name}`).toBe(expected);
    }
    expect(table).toHaveLength(names.length);
  });

  it('the table itself says what the issue asks: viewer reads only; operator runs queues, tasks, schedules and workers; admin also users, keys and audit', async () => {
    const changes = (name: EndpointName) => (endpoints[name] as { audited?: boolean }).audited ?? endpoints[name].method !== 'GET';
    const writes = names.filter((name) => changes(name) && !['public', 'authenticated', 'user'].includes(endpoints[name].access));
    expect(writes.length).toBeGreaterThanOrEqual(20);
    for (const name of writes) expect.soft(expectedFor(endpoints[name].access, { kind: 'user', role: 'viewer' }), `viewer → ${name}`).toBe('deny');
    const adminOnly = names.filter((name) => /^(users|keys|audit)\./.test(name));
    expect(adminOnly.length).toBeGreaterThanOrEqual(8);
    for (const name of adminOnly) {
      expect.soft(expectedFor(endpoints[name].access, { kind: 'user', role: 'operator' }), `operator → ${name}`).toBe('deny');
      expect.soft(expectedFor(endpoints[name].access, { kind: 'user', role: 'admin' }), `admin → ${name}`).toBe('allow');
    }
    for (const name of names.filter((candidate) => /^(queues|tasks)\./.test(candidate))) {
      expect.soft(expectedFor(endpoints[name].access, { kind: 'user', role: 'operator' }), `operator → ${name}`).toBe('allow');
    }
  });

  it('anonymous: only public endpoints, 401 everywhere else', async () => {
    for (const name of names) {
      expect.soft(verdict(await statusOf(api, name, undefined)), name).toBe(expectedFor(endpoints[name].access, { kind: 'anonymous' }));
    }
  });

  it.each([
    ['read', () => readKey, ['read'] as Permission[]],
    ['tasks:write', () => tasksKey, ['tasks:write'] as Permission[]],
  ])('API key with scope %s: allowed only within its scopes, never on user-only endpoints', async (_label, key, scopes) => {
    for (const name of names) {
      expect.soft(verdict(await statusOf(api, name, `Bearer ${key()}`)), name).toBe(expectedFor(endpoints[name].access, { kind: 'apiKey', scopes }));
    }
  });

  it('a garbage bearer token is 401 on every non-public endpoint', async () => {
    for (const name of names.filter((candidate) => endpoints[candidate].access !== 'public')) {
      expect.soft(await statusOf(api, name, 'Bearer not.a.token'), name).toBe(401);
    }
  });
});
