import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError } from '../../../agent/security/AuthenticationError.js';
import { SecurityInputError } from '../../../agent/security/SecurityInputError.js';
import { UserStore } from '../../../agent/security/UserStore.js';
import { migratedDatabase } from '../../helpers/postgres.js';

let database: Awaited<ReturnType<typeof migratedDatabase>>;
let users: UserStore;
const password = 'a long enough password';

beforeAll(async () => {
  database = await migratedDatabase();
  users = new UserStore(database.pool);
});

afterAll(async () => {
  await database?.close();
});

/** Opens `count` connections in the pool up front, so concurrent calls really run side by side instead of queueing for connects. */
async function warm(pool: pg.Pool, count = 5): Promise<void> {
  const clients = await Promise.all(Array.from({ length: count }, () => pool.connect()));
  for (const client of clients) client.release();
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a refusal'),
    (error: unknown) => error,
  );
}

describe('UserStore', () => {
  it('creates a user with a lower-cased name and finds it by id and by any case of its name', async () => {
    const before = Date.now();
    const user = await users.create({ username: 'Carol.Ops@example', password, role: 'operator' });

    expect(user).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      username: 'carol.ops@example',
      role: 'operator',
      disabled: false,
      createdAt: expect.any(Number),
      passwordChangedAt: expect.any(Number),
    });
    expect(user.createdAt).toBeGreaterThanOrEqual(before - 5_000);
    expect(await users.get(user.id)).toEqual(user);
    expect(await users.findByUsername('CAROL.OPS@EXAMPLE')).toEqual(user);
    const { rows } = await database.pool.query<{ password_hash: string }>('select password_hash from users where id = $1', [user.id]);
    expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a username that is taken in any case', async () => {
    await users.create({ username: 'dave', password, role: 'viewer' });
    const error = await failure(users.create({ username: 'DAVE', password, role: 'admin' }));

    expect(error).toBeInstanceOf(SecurityInputError);
    expect(error).toMatchObject({ field: 'username', message: 'the username dave is taken' });
  });

  it('names the field of a bad username, password or role', async () => {
    for (const username of ['', 'a'.repeat(65), 'has space', 'semi;colon', 'ünïcode']) {
      expect(await failure(users.create({ username, password, role: 'viewer' }))).toMatchObject({ field: 'username' });
    }
    expect(await failure(users.create({ username: 'erin', password: 'short', role: 'viewer' }))).toMatchObject({
      field: 'password',
      message: 'the password must be at least 12 characters long',
    });
    expect(await failure(users.create({ username: 'erin', password: 'zzzzzzzzzzzzzzzz', role: 'viewer' }))).toMatchObject({ field: 'password' });
    expect(await failure(users.create({ username: 'erin', password, role: 'root' as 'admin' }))).toMatchObject({ field: 'role' });
    expect(await users.findByUsername('erin')).toBeUndefined();
  });

  it('verifies credentials and refuses a wrong password, an unknown user and a disabled user', async () => {
    const frank = await users.create({ username: 'frank', password, role: 'operator' });

    expect(await users.verifyCredentials('Frank', password)).toEqual(frank);
    const wrong = await failure(users.verifyCredentials('frank', 'not the password'));
    expect(wrong).toBeInstanceOf(AuthenticationError);
    expect(wrong).toMatchObject({ reason: 'invalid_credentials' });
    expect(await failure(users.verifyCredentials('nobody', password))).toMatchObject({ reason: 'invalid_credentials' });
    expect((wrong as Error).message).not.toContain('not the password');

    await users.update(frank.id, { disabled: true });
    expect(await failure(users.verifyCredentials('frank', password))).toMatchObject({ reason: 'disabled_user' });
    // A disabled user with a wrong password learns nothing about being disabled.
    expect(await failure(users.verifyCredentials('frank', 'not the password'))).toMatchObject({ reason: 'invalid_credentials' });
  });

  it('updates role and disabled, and answers undefined for no such user', async () => {
    const grace = await users.create({ username: 'grace', password, role: 'viewer' });

    expect(await users.update(grace.id, { role: 'operator' })).toMatchObject({ role: 'operator', disabled: false });
    expect(await users.update(grace.id, { disabled: true })).toMatchObject({ role: 'operator', disabled: true });
    expect(await users.update('00000000-0000-0000-0000-000000000000', { role: 'admin' })).toBeUndefined();
    expect(await users.update('not-a-uuid', { role: 'admin' })).toBeUndefined();
    expect(await failure(users.update(grace.id, { role: 'root' as 'admin' }))).toMatchObject({ field: 'role' });
  });

  it('sets a password: the new one works, the old one no longer does', async () => {
    const heidi = await users.create({ username: 'heidi', password, role: 'viewer' });
    const changed = 'a different long password';

    expect(await failure(users.setPassword(heidi.id, 'short'))).toMatchObject({ field: 'password' });
    await users.setPassword(heidi.id, changed);

    expect(await users.verifyCredentials('heidi', changed)).toMatchObject({ id: heidi.id });
    expect(await failure(users.verifyCredentials('heidi', password))).toMatchObject({ reason: 'invalid_credentials' });
    expect((await users.get(heidi.id))!.passwordChangedAt).toBeGreaterThanOrEqual(heidi.passwordChangedAt);
    expect(await failure(users.setPassword('00000000-0000-0000-0000-000000000000', changed))).toMatchObject({ field: 'id' });
  });

  it('deletes, lists and counts', async () => {
    const ivan = await users.create({ username: 'ivan', password, role: 'viewer' });
    const count = await users.count();

    expect((await users.list()).map((user) => user.username)).toContain('ivan');
    expect(await users.delete(ivan.id)).toBe(true);
    expect(await users.delete(ivan.id)).toBe(false);
    expect(await users.delete('nope')).toBe(false);
    expect(await users.count()).toBe(count - 1);
    expect(await users.get(ivan.id)).toBeUndefined();
  });

  it('never removes the last enabled admin, even when two admins demote each other at once', async () => {
    const judy = await users.create({ username: 'judy', password, role: 'admin' });
    const karl = await users.create({ username: 'karl', password, role: 'admin' });
    // Other tests may have made admins too; leave judy and karl the only enabled ones.
    for (const user of await users.list()) {
      if (user.role === 'admin' && user.id !== judy.id && user.id !== karl.id) await users.update(user.id, { role: 'viewer' });
    }

    await warm(database.pool);
    const results = await Promise.allSettled([users.update(judy.id, { role: 'viewer' }), users.update(karl.id, { role: 'viewer' })]);

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((result) => result.status === 'rejected');
    expect(refused?.reason).toMatchObject({ field: 'role', message: expect.stringMatching(/last enabled admin/) });
    const remaining = (await users.list()).filter((user) => user.role === 'admin' && !user.disabled);
    expect(remaining).toHaveLength(1);
    const last = remaining[0]!;
    expect(await failure(users.update(last.id, { disabled: true }))).toMatchObject({ field: 'disabled' });
    expect(await failure(users.delete(last.id))).toMatchObject({ field: 'id' });
    expect(await users.update(last.id, { role: 'admin' })).toMatchObject({ role: 'admin' });
  });
});
