import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../../../agent/security/ApiKeys.js';
import { AuthenticationError } from '../../../agent/security/AuthenticationError.js';
import { SecurityInputError } from '../../../agent/security/SecurityInputError.js';
import { UserStore, type UserRecord } from '../../../agent/security/UserStore.js';
import type { Permission } from '../../../shared/security/permissions.js';
import { migratedDatabase } from '../../helpers/postgres.js';

let database: Awaited<ReturnType<typeof migratedDatabase>>;
let keys: ApiKeys;
let admin: UserRecord;
let operator: UserRecord;

beforeAll(async () => {
  database = await migratedDatabase();
  keys = new ApiKeys(database.pool);
  const users = new UserStore(database.pool);
  admin = await users.create({ username: 'admin', password: 'a long enough password', role: 'admin' });
  operator = await users.create({ username: 'operator', password: 'a long enough password', role: 'operator' });
});

afterAll(async () => {
  await database?.close();
});

const byAdmin = () => ({ userId: admin.id, role: admin.role });

async function refusedKey(key: string): Promise<void> {
  const error = await keys.authenticate(key).then(
    () => expect.fail('the key was accepted'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  expect(error).toMatchObject({ reason: 'invalid_api_key', message: 'the API key is not valid' });
}

async function inputError(promise: Promise<unknown>): Promise<SecurityInputError> {
  const error = await promise.then(
    () => expect.fail('the key was created'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SecurityInputError);
  return error as SecurityInputError;
}

describe('ApiKeys', () => {
  it('creates sy_<prefix>_<secret>, stores only the prefix and a sha256 of the secret, and authenticates it', async () => {
    const { key, record } = await keys.create({ name: 'billing app', scopes: ['read', 'tasks:write'], createdBy: byAdmin() });

    expect(key).toMatch(/^sy_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(record).toEqual({
      id: expect.any(String),
      prefix: key.slice(3, 15),
      name: 'billing app',
      scopes: ['read', 'tasks:write'],
      createdBy: admin.id,
      createdByRole: 'admin',
      createdAt: expect.any(Number),
      expiresAt: null,
      lastUsedAt: null,
      revokedAt: null,
    });
    const { rows } = await database.pool.query<{ secret_hash: string }>('select secret_hash from api_keys where id = $1', [record.id]);
    expect(rows[0]?.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]?.secret_hash).not.toContain(key.slice(16));

    expect(await keys.authenticate(key)).toMatchObject({ id: record.id, scopes: ['read', 'tasks:write'], lastUsedAt: expect.any(Number) });
    expect(await keys.get(record.id)).toMatchObject({ id: record.id, name: 'billing app' });
    expect((await keys.list()).map((listed) => listed.id)).toContain(record.id);
  });

  it('refuses a malformed key, an unknown prefix and a wrong secret alike', async () => {
    const { key } = await keys.create({ name: 'refusals', scopes: ['read'], createdBy: byAdmin() });
    const secret = key.slice(16);
    const wrongSecret = `${key.slice(0, 16)}${secret.startsWith('A') ? 'B' : 'A'}${secret.slice(1)}`;

    for (const bad of ['', 'sy_', key.slice(0, -1), `${key}x`, key.toUpperCase(), `sy_000000000000_${secret}`, wrongSecret]) await refusedKey(bad);
    expect((await keys.authenticate(key)).name).toBe('refusals');
  });

  it('refuses a revoked key; revoking again keeps the first time', async () => {
    const { key, record } = await keys.create({ name: 'to revoke', scopes: ['read'], createdBy: byAdmin() });
    await keys.authenticate(key);

    expect(await keys.revoke(record.id)).toBe(true);
    await refusedKey(key);
    const revokedAt = (await keys.get(record.id))?.revokedAt;
    expect(revokedAt).toEqual(expect.any(Number));
    expect(await keys.revoke(record.id)).toBe(true);
    expect((await keys.get(record.id))?.revokedAt).toBe(revokedAt);
    expect(await keys.revoke('00000000-0000-0000-0000-000000000000')).toBe(false);
    expect(await keys.revoke('nope')).toBe(false);
  });

  it('refuses an expired key', async () => {
    const { key, record } = await keys.create({ name: 'short', scopes: ['read'], expiresAt: Date.now() + 60_000, createdBy: byAdmin() });
    expect(record.expiresAt).toBeGreaterThan(Date.now());
    await keys.authenticate(key);

    await database.pool.query(`update api_keys set expires_at = now() - interval '1 second' where id = $1`, [record.id]);
    await refusedKey(key);
  });

  it('refuses scopes beyond the creator role, unknown and empty scopes, a bad name, a past expiry', async () => {
    const beyond = await inputError(keys.create({ name: 'too much', scopes: ['read', 'users:admin'], createdBy: { userId: operator.id, role: 'operator' } }));
    expect(beyond).toMatchObject({ field: 'scopes', message: 'the operator role cannot grant users:admin' });
    expect(await inputError(keys.create({ name: 'x', scopes: [], createdBy: byAdmin() }))).toMatchObject({ field: 'scopes' });
    expect(await inputError(keys.create({ name: 'x', scopes: ['root' as Permission], createdBy: byAdmin() }))).toMatchObject({ field: 'scopes', message: expect.stringMatching(/^unknown scope root/) });
    expect(await inputError(keys.create({ name: '', scopes: ['read'], createdBy: byAdmin() }))).toMatchObject({ field: 'name' });
    expect(await inputError(keys.create({ name: 'n'.repeat(101), scopes: ['read'], createdBy: byAdmin() }))).toMatchObject({ field: 'name' });
    expect(await inputError(keys.create({ name: 'x', scopes: ['read'], expiresAt: Date.now() - 1, createdBy: byAdmin() }))).toMatchObject({ field: 'expiresAt' });

    const allowed = await keys.create({ name: 'operator key', scopes: ['read', 'queues:write', 'read'], createdBy: { userId: operator.id, role: 'operator' } });
    expect(allowed.record.scopes).toEqual(['read', 'queues:write']);
  });

  it('records last use at most once a minute', async () => {
    const { key, record } = await keys.create({ name: 'busy', scopes: ['read'], createdBy: byAdmin() });

    const first = (await keys.authenticate(key)).lastUsedAt!;
    expect(first).toEqual(expect.any(Number));
    expect((await keys.authenticate(key)).lastUsedAt).toBe(first);
    expect((await keys.get(record.id))?.lastUsedAt).toBe(first);

    await database.pool.query(`update api_keys set last_used_at = last_used_at - interval '61 seconds' where id = $1`, [record.id]);
    const aged = (await keys.get(record.id))!.lastUsedAt!;
    const second = (await keys.authenticate(key)).lastUsedAt!;
    expect(second).toBeGreaterThan(aged);
    expect((await keys.get(record.id))?.lastUsedAt).toBe(second);
  });

  it('keeps a key working after its creator is deleted', async () => {
    const users = new UserStore(database.pool);
    const leaving = await users.create({ username: 'leaving', password: 'a long enough password', role: 'viewer' });
    const { key } = await keys.create({ name: 'orphan', scopes: ['read'], createdBy: { userId: leaving.id, role: 'viewer' } });

    await users.delete(leaving.id);
    expect(await keys.authenticate(key)).toMatchObject({ createdBy: null, createdByRole: 'viewer' });
  });
});
