import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiTestAgent, testPassword, type ApiTestAgent } from '../../../helpers/apiAgent.js';
import { messages, scratchHome, signedIn, taskctl } from './taskctlProcess.js';

describe('taskctl keys, --api-key, users and audit', () => {
  let api: ApiTestAgent;
  let admin: Record<string, string>;
  beforeAll(async () => {
    api = await startApiTestAgent();
    await api.client('admin').call('queues.create', { body: { name: 'inbox' } });
    admin = await signedIn(api.url, 'admin', testPassword('admin'));
  });
  afterAll(async () => api?.close());

  it('creates a key, prints it once with a warning; --api-key and SWITCHYARD_API_KEY act as the key, over a stored sign-in', async () => {
    const created = await taskctl(['keys', 'create', '--name', 'producer', '--scope', 'read,tasks:write', '--expires', '30d'], { env: admin });
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^sy_[a-z0-9]+_\S+$/);
    expect(messages(created.stderr)[0]).toBe('taskctl: warning: the key is shown only this once (the agent keeps only its hash): store it now');

    const nobody = { ...(await scratchHome()), SWITCHYARD_URL: api.url };
    const asKey = await taskctl(['whoami', '--json', '--api-key', key], { env: nobody });
    expect(asKey.json()).toMatchObject({ kind: 'apiKey', name: 'producer', permissions: ['read', 'tasks:write'] });
    const fromEnvironment = await taskctl(['tasks', 'enqueue', 'inbox', '--type', 'hello', '--json'], { env: { ...nobody, SWITCHYARD_API_KEY: key } });
    expect(fromEnvironment.code, fromEnvironment.stderr).toBe(0);
    const overLogin = await taskctl(['whoami', '--json', '--api-key', key], { env: admin });
    expect(overLogin.json()).toMatchObject({ kind: 'apiKey' });
    const outOfScope = await taskctl(['queues', 'create', 'other', '--json'], { env: { ...nobody, SWITCHYARD_API_KEY: key } });
    expect(outOfScope.code).toBe(1);
    expect(outOfScope.json()).toMatchObject({ error: { status: 403 } });

    const prefix = key.split('_')[1]!;
    const listed = await taskctl(['keys', 'list'], { env: admin });
    expect(listed.stdout).toMatch(new RegExp(`^${prefix} +producer +read,tasks:write +active`, 'm'));
    expect(listed.stdout).not.toContain(key);
    const revoked = await taskctl(['keys', 'revoke', prefix], { env: admin });
    expect(revoked).toMatchObject({ code: 0, stdout: `revoked key ${prefix}\n` });
    const afterRevoke = await taskctl(['whoami', '--api-key', key], { env: nobody });
    expect(afterRevoke.code).toBe(1);
    expect(messages(afterRevoke.stderr)).toHaveLength(1);
  });

  it('with --json, prints the created key in the answer', async () => {
    const created = await taskctl(['keys', 'create', '--name', 'reader', '--scope', 'read', '--json'], { env: admin });
    expect(created.json()).toMatchObject({ key: expect.stringMatching(/^sy_/), apiKey: { name: 'reader', scopes: ['read'], expiresAt: null } });
  });

  it('refuses an unknown scope, naming the field', async () => {
    const run = await taskctl(['keys', 'create', '--name', 'x', '--scope', 'everything', '--json'], { env: admin });
    expect(run.code).toBe(1);
    expect(run.json()).toMatchObject({ error: { status: 400, field: 'body.scopes[0]' } });
  });

  it('creates, updates and deletes users by username; the audit log shows it', async () => {
    const created = await taskctl(['users', 'create', '--username', 'Dana', '--role', 'operator', '--password-stdin', '--json'], { env: admin, input: 'a long enough password\n' });
    expect(created.code, created.stderr).toBe(0);
    expect(created.json()).toMatchObject({ username: 'dana', role: 'operator', disabled: false });
    const updated = await taskctl(['users', 'update', 'dana', '--role', 'viewer', '--disable', '--json'], { env: admin });
    expect(updated.json()).toMatchObject({ username: 'dana', role: 'viewer', disabled: true });
    const listed = await taskctl(['users', 'list'], { env: admin });
    expect(listed.stdout).toMatch(/^dana +viewer +disabled/m);
    expect((await taskctl(['users', 'delete', 'dana'], { env: admin })).stdout).toBe('deleted user dana\n');
    const absent = await taskctl(['users', 'delete', 'dana'], { env: admin });
    expect(absent.code).toBe(1);
    expect(messages(absent.stderr)).toEqual(['taskctl: no user is named dana']);
    expect((await taskctl(['users', 'update', 'admin-user'], { env: admin })).code).toBe(2);

    const audit = await taskctl(['audit', 'list', '--action', 'users.update', '--since', '1h', '--json'], { env: admin });
    expect(audit.code, audit.stderr).toBe(0);
    const { entries } = audit.json<{ entries: Array<{ action: string; actor: { name: string }; target: string }> }>();
    expect(entries).toEqual([expect.objectContaining({ action: 'users.update', actor: expect.objectContaining({ name: 'admin-user' }) })]);
    const page = await taskctl(['audit', 'list', '--limit', '1'], { env: admin });
    expect(page.stdout.split('\n')[0]).toMatch(/^AT +ACTOR +ROLE +ACTION +TARGET +ADDRESS$/);
    expect(page.stdout).toMatch(/more entries: run again with the same filters and --cursor \S+$/m);
    expect((await taskctl(['audit', 'list', '--since', 'yesterday'], { env: admin })).code).toBe(2);
  });
});
