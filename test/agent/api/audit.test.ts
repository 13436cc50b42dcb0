import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiTestAgent, type ApiTestAgent } from '../../helpers/apiAgent.js';
import { refused } from '../../helpers/apiErrors.js';

describe('GET /audit', () => {
  let api: ApiTestAgent;
  beforeAll(async () => {
    api = await startApiTestAgent();
    const operator = api.client('operator');
    for (let index = 0; index < 5; index++) await operator.call('queues.create', { body: { name: `audited-${index}` } });
    await operator.call('queues.pause', { params: { name: 'audited-0' } });
  });
  afterAll(async () => api?.close());

  it('pages newest first with a cursor, and filters by action and actor', async () => {
    const admin = api.client('admin');
    const first = await admin.call('audit.list', { query: { action: 'queues.create', limit: 3 } });
    expect(first.entries.map((entry) => entry.target)).toEqual(['queue:audited-4', 'queue:audited-3', 'queue:audited-2']);
    expect(first.nextCursor).not.toBeNull();
    const second = await admin.call('audit.list', { query: { action: 'queues.create', limit: 3, cursor: first.nextCursor! } });
    expect(second.entries.map((entry) => entry.target)).toEqual(['queue:audited-1', 'queue:audited-0']);
    expect(second.nextCursor).toBeNull();
    const byOperator = await admin.call('audit.list', { query: { actorId: api.users.operator.id } });
    expect(byOperator.entries).toHaveLength(6);
    expect(byOperator.entries[0]).toMatchObject({ action: 'queues.pause', target: 'queue:audited-0' });
  });

  it('is for admins only, and refuses a bad query naming it', async () => {
    await refused(api.client('operator').call('audit.list', { query: {} }), 403);
    await refused(api.client('admin').call('audit.list', { query: { limit: 0 } }), 400, 'query.limit');
  });

  it('cannot be changed, even by the database role the agent uses', async () => {
    await expect(api.pool.query("update audit_log set action = 'nothing'")).rejects.toThrow(/append-only/);
    await expect(api.pool.query('delete from audit_log')).rejects.toThrow(/append-only/);
  });
});
