import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthenticationError } from '../../../agent/security/AuthenticationError.js';
import { SetupToken } from '../../../agent/security/SetupToken.js';
import { UserStore } from '../../../agent/security/UserStore.js';
import { migratedDatabase } from '../../helpers/postgres.js';

let database: Awaited<ReturnType<typeof migratedDatabase>>;
let setup: SetupToken;
let users: UserStore;
const admin = { username: 'Root.Admin', password: 'a long enough password' };

beforeEach(async () => {
  database = await migratedDatabase();
  setup = new SetupToken(database.pool);
  users = new UserStore(database.pool);
});

afterEach(async () => {
  await database?.close();
});

/** Opens `count` connections in the pool up front, so concurrent calls really run side by side instead of queueing for connects. */
async function warm(pool: pg.Pool, count = 5): Promise<void> {
  const clients = await Promise.all(Array.from({ length: count }, () => pool.connect()));
  for (const client of clients) client.release();
}

async function refusal(token: string, input = admin): Promise<unknown> {
  return setup.createFirstAdmin(token, input).then(
    () => expect.fail('the setup token was accepted'),
    (caught: unknown) => caught,
  );
}

describe('SetupToken', () => {
  it('creates the first admin once with the printed token', async () => {
    const token = await setup.issueIfNoUsers();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const created = await setup.createFirstAdmin(token!, admin);
    expect(created).toMatchObject({ username: 'root.admin', role: 'admin', disabled: false });
    expect(await users.verifyCredentials('root.admin', admin.password)).toMatchObject({ id: created.id });

    const again = await refusal(token!, { username: 'second', password: admin.password });
    expect(again).toBeInstanceOf(AuthenticationError);
    expect(again).toMatchObject({ reason: 'invalid_setup_token' });
    expect(await users.count()).toBe(1);
    expect(await setup.issueIfNoUsers()).toBeUndefined();
  });

  it('stores only a hash of the token', async () => {
    const token = await setup.issueIfNoUsers();
    const { rows } = await database.pool.query<{ secret_hash: Buffer }>('select secret_hash from setup_tokens');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.secret_hash.toString('base64url')).not.toBe(token);
  });

  it('refuses a wrong token, and any token when none was issued', async () => {
    expect(await refusal('anything')).toMatchObject({ reason: 'invalid_setup_token' });
    const token = await setup.issueIfNoUsers();
    expect(await refusal(`${token!.slice(0, -1)}${token!.endsWith('A') ? 'B' : 'A'}`)).toMatchObject({ reason: 'invalid_setup_token' });
    expect(await refusal('')).toMatchObject({ reason: 'invalid_setup_token' });
    expect(await users.count()).toBe(0);
  });

  it('replaces the pending token on each issue: only the latest works', async () => {
    const older = await setup.issueIfNoUsers();
    const newer = await setup.issueIfNoUsers();

    expect(await refusal(older!)).toMatchObject({ reason: 'invalid_setup_token' });
    expect(await setup.createFirstAdmin(newer!, admin)).toMatchObject({ role: 'admin' });
  });

  it('refuses the token once a user exists by another way', async () => {
    const token = await setup.issueIfNoUsers();
    await users.create({ username: 'made-by-cli', password: admin.password, role: 'admin' });

    expect(await refusal(token!)).toMatchObject({ reason: 'invalid_setup_token' });
    expect(await setup.issueIfNoUsers()).toBeUndefined();
  });

  it('keeps the token unused when the username or password is refused', async () => {
    const token = await setup.issueIfNoUsers();

    expect(await refusal(token!, { username: 'ok', password: 'short' })).toMatchObject({ field: 'password' });
    expect(await refusal(token!, { username: 'bad name', password: admin.password })).toMatchObject({ field: 'username' });
    expect(await setup.createFirstAdmin(token!, admin)).toMatchObject({ role: 'admin' });
  });

  it('lets only one of two concurrent claims win', async () => {
    const token = await setup.issueIfNoUsers();

    await warm(database.pool);
    const results = await Promise.allSettled([
      setup.createFirstAdmin(token!, { username: 'first', password: admin.password }),
      setup.createFirstAdmin(token!, { username: 'second', password: admin.password }),
    ]);

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(await users.count()).toBe(1);
  });
});
