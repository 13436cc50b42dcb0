import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, type AuthenticationFailure } from '../../../agent/security/AuthenticationError.js';
import { RefreshTokens } from '../../../agent/security/RefreshTokens.js';
import { UserStore, type UserRecord } from '../../../agent/security/UserStore.js';
import { migratedDatabase } from '../../helpers/postgres.js';

let database: Awaited<ReturnType<typeof migratedDatabase>>;
let users: UserStore;
let refreshTokens: RefreshTokens;
let userNumber = 0;

beforeAll(async () => {
  database = await migratedDatabase();
  users = new UserStore(database.pool);
  refreshTokens = new RefreshTokens(database.pool);
});

afterAll(async () => {
  await database?.close();
});

/** Opens `count` connections in the pool up front, so concurrent calls really run side by side instead of queueing for connects. */
async function warm(pool: pg.Pool, count = 5): Promise<void> {
  const clients = await Promise.all(Array.from({ length: count }, () => pool.connect()));
  for (const client of clients) client.release();
}

async function newUser(): Promise<UserRecord> {
  userNumber += 1;
  return users.create({ username: `user${userNumber}`, password: 'a long enough password', role: 'viewer' });
}

async function reasonOf(promise: Promise<unknown>): Promise<AuthenticationFailure> {
  const error = await promise.then(
    () => expect.fail('the token was accepted'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  return (error as AuthenticationError).reason;
}

describe('RefreshTokens', () => {
  it('issues an opaque <id>.<secret> token and keeps only a hash of the secret', async () => {
    const user = await newUser();
    const before = Date.now();
    const issued = await refreshTokens.issue(user.id);

    expect(issued.token).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    expect(issued.expiresAt).toBeGreaterThanOrEqual(before + 14 * 24 * 3_600_000);
    const [id, secret] = issued.token.split('.');
    const { rows } = await database.pool.query<{ family_id: string; secret_hash: Buffer }>('select family_id, secret_hash from refresh_tokens where id = $1', [id]);
    expect(rows[0]?.family_id).toBe(issued.familyId);
    expect(rows[0]?.secret_hash).toHaveLength(32);
    expect(rows[0]?.secret_hash.toString('base64url')).not.toBe(secret);
  });

  it('rotates: the next token of the same family, for the same user', async () => {
    const user = await newUser();
    const first = await refreshTokens.issue(user.id);

    const second = await refreshTokens.rotate(first.token);
    expect(second).toEqual({ userId: user.id, token: expect.any(String), familyId: first.familyId, expiresAt: expect.any(Number) });
    expect(second.token).not.toBe(first.token);
    const third = await refreshTokens.rotate(second.token);
    expect(third.familyId).toBe(first.familyId);
  });

  it('revokes the whole family when a used token comes back, and the revocation sticks', async () => {
    const user = await newUser();
    const stolen = await refreshTokens.issue(user.id);
    const legitimate = await refreshTokens.rotate(stolen.token);
    const otherSignIn = await refreshTokens.issue(user.id);

    expect(await reasonOf(refreshTokens.rotate(stolen.token))).toBe('reused_refresh_token');

    expect(await reasonOf(refreshTokens.rotate(legitimate.token))).toBe('revoked');
    const { rows } = await database.pool.query<{ live: number }>('select count(*)::int as live from refresh_tokens where family_id = $1 and revoked_at is null', [stolen.familyId]);
    expect(rows[0]?.live).toBe(0);
    expect((await refreshTokens.rotate(otherSignIn.token)).userId).toBe(user.id);
  });

  it('lets only one of two concurrent exchanges of a token win', async () => {
    const user = await newUser();
    const issued = await refreshTokens.issue(user.id);

    await warm(database.pool);
    const results = await Promise.allSettled([refreshTokens.rotate(issued.token), refreshTokens.rotate(issued.token)]);

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected');
    expect(rejected?.reason).toMatchObject({ reason: 'reused_refresh_token' });
  });

  it('refuses malformed, unknown and wrong-secret tokens as invalid_token', async () => {
    const user = await newUser();
    const { token } = await refreshTokens.issue(user.id);
    const [id, secret] = token.split('.') as [string, string];
    const wrongSecret = `${id}.${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;

    for (const bad of ['', 'garbage', `${id}.`, `not-a-uuid-at-all-not-a-uuid-at-all!.${secret}`, `00000000-0000-0000-0000-000000000000.${secret}`, wrongSecret]) {
      expect(await reasonOf(refreshTokens.rotate(bad))).toBe('invalid_token');
    }
    // The wrong secret did not count as a use: the real token still works.
    expect((await refreshTokens.rotate(token)).userId).toBe(user.id);
  });

  it('refuses an expired token', async () => {
    const user = await newUser();
    const shortLived = new RefreshTokens(database.pool, { ttlMs: -1_000 });
    const { token } = await shortLived.issue(user.id);

    expect(await reasonOf(refreshTokens.rotate(token))).toBe('expired_token');
  });

  it('signs out: revoke ends the family; an unknown token is a no-op', async () => {
    const user = await newUser();
    const first = await refreshTokens.issue(user.id);
    const current = await refreshTokens.rotate(first.token);

    await refreshTokens.revoke(current.token);
    expect(await reasonOf(refreshTokens.rotate(current.token))).toBe('revoked');

    await refreshTokens.revoke('garbage');
    await refreshTokens.revoke(`00000000-0000-0000-0000-000000000000.${'A'.repeat(43)}`);
  });

  it('does not sign out on a token with the wrong secret', async () => {
    const user = await newUser();
    const { token } = await refreshTokens.issue(user.id);
    const [id] = token.split('.');

    await refreshTokens.revoke(`${id}.${'A'.repeat(43)}`);
    expect((await refreshTokens.rotate(token)).userId).toBe(user.id);
  });

  it('revokeFamily and revokeAllForUser end every matching sign-in, and only those', async () => {
    const user = await newUser();
    const bystander = await newUser();
    const a = await refreshTokens.issue(user.id);
    const b = await refreshTokens.issue(user.id);
    const c = await refreshTokens.issue(user.id);
    const theirs = await refreshTokens.issue(bystander.id);

    await refreshTokens.revokeFamily(a.familyId);
    expect(await reasonOf(refreshTokens.rotate(a.token))).toBe('revoked');
    const stillB = await refreshTokens.rotate(b.token);

    await refreshTokens.revokeAllForUser(user.id);
    expect(await reasonOf(refreshTokens.rotate(stillB.token))).toBe('revoked');
    expect(await reasonOf(refreshTokens.rotate(c.token))).toBe('revoked');
    expect((await refreshTokens.rotate(theirs.token)).userId).toBe(bystander.id);
  });

  it('refuses a disabled user and a deleted one', async () => {
    const disabled = await newUser();
    const deleted = await newUser();
    const disabledToken = await refreshTokens.issue(disabled.id);
    const deletedToken = await refreshTokens.issue(deleted.id);

    await users.update(disabled.id, { disabled: true });
    await users.delete(deleted.id);

    expect(await reasonOf(refreshTokens.rotate(disabledToken.token))).toBe('disabled_user');
    expect(await reasonOf(refreshTokens.rotate(deletedToken.token))).toBe('invalid_token');
  });

  it('prunes tokens long expired', async () => {
    const user = await newUser();
    const expired = await new RefreshTokens(database.pool, { ttlMs: -2 * 24 * 3_600_000 }).issue(user.id);
    const live = await refreshTokens.issue(user.id);

    expect(await refreshTokens.pruneExpired()).toBeGreaterThanOrEqual(1);
    const { rows } = await database.pool.query<{ id: string }>('select id from refresh_tokens where id = any($1)', [[expired.token.split('.')[0], live.token.split('.')[0]]]);
    expect(rows.map((row) => row.id)).toEqual([live.token.split('.')[0]]);
  });
});
